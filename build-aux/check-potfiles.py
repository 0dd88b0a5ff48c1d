#!/usr/bin/env python3
"""Checks po/POTFILES.in against the tree, as TAP:

1. every file under src/ with translatable strings (_(), N_(), C_(), NC_(),
   the gettext family, or translatable="yes" in a UI file) is listed, so
   xgettext sees its strings;
2. every listed file exists, so `meson compile tandem-pot` does not fail.

Usage: check-potfiles.py SOURCE_ROOT
"""
import os
import re
import sys

EXTENSIONS = ('.c', '.h', '.ui')
MARKER = re.compile(
    r'(?<![\w])N?C?_\('                          # _( N_( C_( NC_(
    r'|(?<![\w])(?:g_)?d?c?n?p?gettext2?\s*\('  # gettext, ngettext, g_dngettext, …
    r'|translatable\s*=\s*["\']yes["\']')


def listed_files(potfiles):
    files = []
    with open(potfiles, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            # "[encoding: UTF-8]" or "[type: gettext/glade] file" prefixes
            line = re.sub(r'^\[[^\]]*\]\s*', '', line)
            if line:
                files.append(line)
    return files


def translatable_files(root):
    found = []
    for directory, dirs, names in os.walk(os.path.join(root, 'src')):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        for name in sorted(names):
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(directory, name)
            try:
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
            except OSError:
                continue
            if MARKER.search(text):
                found.append(os.path.relpath(path, root))
    return found


def main(root):
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    print('1..2')
    try:
        listed = listed_files(potfiles)
    except OSError as error:
        print(f'not ok 1 - {potfiles}: {error}')
        print('not ok 2 - # SKIP no POTFILES.in')
        return 1
    status = 0

    missing = [f for f in translatable_files(root) if f not in set(listed)]
    if missing:
        print('not ok 1 - files with translatable strings missing from po/POTFILES.in')
        for f in missing:
            print(f'#   {f}')
        status = 1
    else:
        print('ok 1 - every file under src/ with translatable strings is in po/POTFILES.in')

    stale = [f for f in listed if not os.path.isfile(os.path.join(root, f))]
    if stale:
        print('not ok 2 - po/POTFILES.in lists files that do not exist')
        for f in stale:
            print(f'#   {f}')
        status = 1
    else:
        print('ok 2 - every file in po/POTFILES.in exists')
    return status


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
