#!/usr/bin/python3
# update-readme.py: puts the latest benchmark (bench/results/latest.md) into
# bench/README.md's "The latest run" section (the whole table), and a short
# summary of it, the targets, into README.md's "Benchmark" section; every
# other section stays as it is.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: update-readme.py LATEST.md README.md [BENCH_README.md]

import os
import re
import sys


def replace_section(text, heading, section, path):
    match = re.search(rf'^{re.escape(heading)}\n.*?(?=^## |\Z)', text, flags=re.M | re.S)
    if match is None:
        sys.exit(f'{path} has no "{heading}" section')
    return text[:match.start()] + section + text[match.end():]


def main():
    latest_path, readme_path = sys.argv[1:3]
    bench_readme_path = (sys.argv[3] if len(sys.argv) > 3
                         else os.path.join(os.path.dirname(os.path.abspath(latest_path)), '..', 'README.md'))
    with open(latest_path) as f:
        latest = f.read()
    # The results file starts with its own title; the READMEs have headings.
    body = re.sub(r'\A# [^\n]*\n+', '', latest)
    body = re.sub(r'\AMade by [^\n]*\n+', '', body)
    # Every single run and the versions stay in the results file.
    body = body.split('Every run, in seconds')[0].strip()
    run_line = body.split('\n', 1)[0]
    when = re.match(r'Run (\S+ \S+ UTC)', run_line)
    targets = re.search(r'^\| target \|.*?(?=\n\n|\Z)', body, flags=re.M | re.S)

    with open(bench_readme_path) as f:
        bench_readme = f.read()
    bench_section = ('## The latest run\n\n'
                     + body
                     + '\n\nEvery single run, the tools\' versions and the options each tool ran '
                       'with: `results/latest.md`.\n\n')
    bench_readme = replace_section(bench_readme, '## The latest run', bench_section, bench_readme_path)
    with open(bench_readme_path, 'w') as f:
        f.write(bench_readme)

    with open(readme_path) as f:
        readme = f.read()
    section = ('## Benchmark\n\n'
               'Ferry against `lftp mirror --parallel=4`, `rclone copy --transfers 4` and\n'
               '`curl` on the same vsftpd servers on 127.0.0.1 (plain FTP, and explicit\n'
               'FTPS), in one run: `bench/run` (`--update-readme` refreshes this summary).\n'
               'The whole table, what each job does, how each tool is called and what\n'
               'bounds each job: [bench/README.md](bench/README.md).\n\n'
               + (f'The targets, in the run of {when.group(1)}:\n\n' if when else 'The targets:\n\n')
               + (targets.group(0).strip() if targets else '(no targets in the results)')
               + '\n\n')
    readme = replace_section(readme, '## Benchmark', section, readme_path)
    with open(readme_path, 'w') as f:
        f.write(readme)


if __name__ == '__main__':
    main()
