#!/usr/bin/env python3
"""Counts test results in meson's testlog.json files.

Each TAP subtest counts ("ok N" passed, "not ok N" failed, "# SKIP" skipped);
a test program that failed without reporting a failing subtest (a crash, an
abort in a fixture, a timeout) counts as one failure. Prints, last, the line
`tests: N passed, N failed` and exits non-zero when anything failed.
"""
import json
import re
import sys

OK = re.compile(r'^ok \d+')
NOT_OK = re.compile(r'^not ok \d+')


def count(path):
    passed = failed = skipped = 0
    failures = []
    try:
        lines = open(path, encoding='utf-8', errors='replace').read().splitlines()
    except FileNotFoundError:
        print(f'{path}: missing (the build or the test run failed)')
        return 0, 1, 0, [path]
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            # A truncated log (a killed run) is a failure, not a crash here.
            failed += 1
            failures.append(f'{path}: unreadable record')
            continue
        result = record.get('result')
        out = record.get('stdout') or ''
        p = f = s = 0
        for text in out.splitlines():
            text = text.strip()
            if NOT_OK.match(text):
                f += 1
            elif OK.match(text):
                if '# SKIP' in text:
                    s += 1
                else:
                    p += 1
        if result in ('FAIL', 'ERROR', 'TIMEOUT', 'UNEXPECTEDPASS') and f == 0:
            f = 1
        if result == 'SKIP' and p + f + s == 0:
            s = 1
        if p + f + s == 0 and result in ('OK', 'EXPECTEDFAIL'):
            p = 1
        if f:
            failures.append(f"{record.get('name')} ({result})")
        passed += p
        failed += f
        skipped += s
    return passed, failed, skipped, failures


def main():
    total_p = total_f = total_s = 0
    all_failures = []
    for path in sys.argv[1:]:
        p, f, s, failures = count(path)
        total_p += p
        total_f += f
        total_s += s
        all_failures += failures
    for name in all_failures:
        print(f'failed: {name}')
    if total_s:
        print(f'skipped subtests: {total_s}')
    print(f'tests: {total_p} passed, {total_f} failed', flush=True)
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
