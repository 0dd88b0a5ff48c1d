#!/usr/bin/env python3
"""Checks the app's Flatpak manifest offline, as TAP:

1. valid JSON with the keys flatpak-builder needs;
2. the app id is the one of the desktop file, the metainfo and the build
   (TANDEM_APP_ID in src/app/meson.build);
3. the current stable GNOME runtime (a numbered version, not "master");
4. the command is an executable the meson build installs;
5. the permissions are exactly network, display and the Secret Service;
6. the modules: PostgreSQL (with pgcrypto, which needs OpenSSL) and wal2json
   for the local workspace, then this project, built with meson from the
   repository with the app enabled;
7. every module uses a known build system, and every archive is pinned
   (https URL and sha256).

Usage: check-flatpak-manifest.py MANIFEST [SOURCE_ROOT]
(SOURCE_ROOT defaults to the manifest's parent folder's parent.)
"""
import json
import os
import re
import sys

BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}
REQUIRED_KEYS = ('id', 'runtime', 'runtime-version', 'sdk', 'command', 'finish-args', 'modules')
# What the app needs, and nothing else: the network (Supabase projects and
# the local tandem-server), a display, and the keyring through libsecret.
FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--talk-name=org.freedesktop.secrets',
}


def meson_calls(text, function):
    """The argument text of every call of @function in a meson file."""
    for match in re.finditer(r'\b' + re.escape(function) + r'\s*\(', text):
        depth, i, quote = 1, match.end(), None
        while i < len(text) and depth > 0:
            c = text[i]
            if quote:
                if c == '\\':
                    i += 1
                elif c == quote:
                    quote = None
            elif c == "'":
                quote = c
            elif c == '#':
                while i < len(text) and text[i] != '\n':
                    i += 1
            elif c == '(':
                depth += 1
            elif c == ')':
                depth -= 1
            i += 1
        yield text[match.end():i - 1]


def installed_executables(root):
    names = set()
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(('.', '_build', 'node_modules'))]
        if 'meson.build' not in files:
            continue
        with open(os.path.join(directory, 'meson.build'), encoding='utf-8') as f:
            text = f.read()
        for args in meson_calls(text, 'executable'):
            name = re.match(r"\s*'([^']+)'", args)
            if name and re.search(r'\binstall\s*:\s*true\b', args):
                names.add(name.group(1))
    return names


def check_keys(manifest, root):
    return [f'missing "{key}"' for key in REQUIRED_KEYS if key not in manifest]


def check_app_id(manifest, root):
    problems = []
    app_id = manifest.get('id', '')
    if not re.fullmatch(r'[A-Za-z][\w-]*(\.[A-Za-z][\w-]*){2,}', app_id):
        return [f'bad application id {app_id!r}']
    if not os.path.isfile(os.path.join(root, 'data', app_id + '.desktop.in')):
        problems.append(f'no data/{app_id}.desktop.in: the desktop file names another id')
    metainfo = os.path.join(root, 'data', app_id + '.metainfo.xml.in')
    if not os.path.isfile(metainfo):
        problems.append(f'no data/{app_id}.metainfo.xml.in')
    else:
        with open(metainfo, encoding='utf-8') as f:
            ids = re.findall(r'<id>([^<]+)</id>', f.read())
        if not ids or ids[0].strip() != app_id:
            problems.append(f'the metainfo\'s <id> is {ids[0] if ids else "missing"}, not {app_id}')
    app_meson = os.path.join(root, 'src', 'app', 'meson.build')
    if os.path.isfile(app_meson):
        with open(app_meson, encoding='utf-8') as f:
            built = re.findall(r'TANDEM_APP_ID="([^"]+)"', f.read())
        if built and app_id not in built:
            problems.append(f'src/app/meson.build builds the app as {built[0]}, not {app_id}')
    return problems


def check_runtime(manifest, root):
    problems = []
    if manifest.get('runtime') != 'org.gnome.Platform':
        problems.append(f'runtime is {manifest.get("runtime")}, not org.gnome.Platform')
    if manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append(f'sdk is {manifest.get("sdk")}, not org.gnome.Sdk')
    if not re.fullmatch(r'\d+', str(manifest.get('runtime-version', ''))):
        problems.append(f'runtime-version {manifest.get("runtime-version")!r} is not a stable release')
    return problems


def check_command(manifest, root):
    command = manifest.get('command')
    executables = installed_executables(root)
    if command not in executables:
        return [f'command {command!r} is not an executable the meson build installs '
                f'({", ".join(sorted(executables)) or "none found"})']
    return []


def check_finish_args(manifest, root):
    problems = []
    args = manifest.get('finish-args', [])
    for arg in args:
        if arg not in FINISH_ARGS:
            problems.append(f'permission not needed: {arg}')
    for arg in sorted(FINISH_ARGS - set(args)):
        problems.append(f'missing permission: {arg}')
    return problems


def check_modules(manifest, root):
    problems = []
    modules = manifest.get('modules', [])
    by_name = {m.get('name'): m for m in modules if isinstance(m, dict)}
    postgresql = by_name.get('postgresql')
    if postgresql is None:
        problems.append('no postgresql module (the local workspace runs PostgreSQL)')
    else:
        if '--with-openssl' not in postgresql.get('config-opts', []):
            problems.append('postgresql: pgcrypto needs --with-openssl')
        commands = postgresql.get('post-install', []) + postgresql.get('build-commands', [])
        if not any('contrib/pgcrypto' in c for c in commands):
            problems.append('postgresql: pgcrypto is not installed (the auth migration needs it)')
    if 'wal2json' not in by_name:
        problems.append('no wal2json module (postgres_changes decode the WAL with it)')
    project = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    sources = project.get('sources', [])
    if project.get('buildsystem') != 'meson' or \
       not any(s.get('type') == 'dir' and s.get('path') == '..' for s in sources):
        problems.append('the last module must be this project: meson, from the repository (dir "..")')
    elif '-Dgui=enabled' not in project.get('config-opts', []):
        problems.append(f'{project.get("name")}: the app must be built (-Dgui=enabled)')
    return problems


def check_sources(manifest, root):
    problems = []
    for module in manifest.get('modules', []):
        if isinstance(module, str):
            continue
        name = module.get('name')
        if not name:
            problems.append('a module has no name')
            continue
        if module.get('buildsystem', 'autotools') not in BUILDSYSTEMS:
            problems.append(f'{name}: unknown buildsystem {module.get("buildsystem")}')
        for source in module.get('sources', []):
            if source.get('type') == 'archive':
                if not source.get('url', '').startswith('https://'):
                    problems.append(f'{name}: archive URL must be https')
                if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                    problems.append(f'{name}: archive needs a sha256')
    return problems


CHECKS = [
    ('valid JSON with the required keys', check_keys),
    ('the app id matches the desktop file, the metainfo and the build', check_app_id),
    ('a stable GNOME runtime', check_runtime),
    ('the command is an installed executable', check_command),
    ('exactly the permissions the app needs', check_finish_args),
    ('PostgreSQL, wal2json and the project as modules', check_modules),
    ('known build systems, pinned archives', check_sources),
]


def main(path, root):
    print(f'1..{len(CHECKS)}')
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
        if not isinstance(manifest, dict):
            raise ValueError('not a JSON object')
    except (OSError, ValueError) as error:
        print(f'not ok 1 - {path}: {error}')
        for n in range(2, len(CHECKS) + 1):
            print(f'not ok {n} - {CHECKS[n - 1][0]}: the manifest does not load')
        return 1
    status = 0
    for n, (title, check) in enumerate(CHECKS, 1):
        problems = check(manifest, root)
        if problems:
            status = 1
            print(f'not ok {n} - {title}')
            for problem in problems:
                print(f'#   {problem}')
        else:
            print(f'ok {n} - {title}')
    return status


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    manifest_path = sys.argv[1]
    source_root = sys.argv[2] if len(sys.argv) == 3 else \
        os.path.dirname(os.path.dirname(os.path.abspath(manifest_path)))
    sys.exit(main(manifest_path, source_root))
