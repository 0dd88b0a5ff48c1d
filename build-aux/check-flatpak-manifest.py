#!/usr/bin/env python3
"""Checks a Flatpak manifest offline: valid JSON, the keys flatpak-builder
needs, known build systems, and pinned archives (https URL and sha256)."""
import json
import re
import sys

BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}


def fail(message):
    print(f'not ok 1 - {message}')
    sys.exit(1)


def main(path):
    print('1..1')
    try:
        manifest = json.load(open(path, encoding='utf-8'))
    except (OSError, ValueError) as error:
        fail(f'{path}: {error}')
    for key in ('id', 'runtime', 'runtime-version', 'sdk', 'command', 'modules'):
        if key not in manifest:
            fail(f'missing "{key}"')
    if not re.fullmatch(r'[A-Za-z][\w-]*(\.[A-Za-z][\w-]*){2,}', manifest['id']):
        fail(f'bad application id {manifest["id"]}')
    for arg in manifest.get('finish-args', []):
        if arg.startswith('--filesystem=host') or arg == '--device=all':
            fail(f'too broad a permission: {arg}')
    for module in manifest['modules']:
        name = module.get('name')
        if not name:
            fail('a module has no name')
        if module.get('buildsystem', 'autotools') not in BUILDSYSTEMS:
            fail(f'{name}: unknown buildsystem {module.get("buildsystem")}')
        for source in module.get('sources', []):
            if source.get('type') == 'archive':
                if not source.get('url', '').startswith('https://'):
                    fail(f'{name}: archive URL must be https')
                if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                    fail(f'{name}: archive needs a sha256')
    print(f'ok 1 - {path}')


if __name__ == '__main__':
    main(sys.argv[1])
