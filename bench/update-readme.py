#!/usr/bin/python3
# update-readme.py: puts the latest benchmark table (bench/results/latest.md)
# into README.md's "Benchmark" section, leaving every other section as it is.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: update-readme.py LATEST.md README.md

import re
import sys


def main():
    latest_path, readme_path = sys.argv[1:3]
    with open(latest_path) as f:
        latest = f.read()
    with open(readme_path) as f:
        readme = f.read()
    # The results file starts with its own title; the README has the heading.
    body = re.sub(r'\A# [^\n]*\n+', '', latest)
    body = re.sub(r'\AMade by [^\n]*\n+', '', body)
    # Every single run and the versions stay in the results file.
    body = body.split('Every run, in seconds')[0].strip()
    body += ('\n\nEvery single run, the tools\' versions and the options each tool ran '
             'with: `bench/results/latest.md` and `bench/README.md`. What bounds job 1 '
             '(vsftpd\'s own work per file) and job 2 (vsftpd\'s TLS on every data '
             'connection), with the measurements: "What to know when reading the table" '
             'in `bench/README.md`.')
    section = ('## Benchmark\n\n'
               'Ferry against `lftp mirror --parallel=4`, `rclone copy --transfers 4` and\n'
               '`curl` on the same vsftpd servers on 127.0.0.1 (plain FTP, and explicit\n'
               'FTPS with `require_ssl_reuse=YES`), in one run. To reproduce, from a clone\n'
               '(as root, or it asks `sudo`):\n\n'
               '```sh\nbench/run    # --reps 5 for more runs; --update-readme refreshes this section\n```\n\n'
               'What each job does and how each tool is called is in `bench/README.md`.\n'
               'The latest run:\n\n'
               + body + '\n\n')
    match = re.search(r'^## Benchmark\n.*?(?=^## )', readme, flags=re.M | re.S)
    if match is None:
        sys.exit('README.md has no "## Benchmark" section followed by another section')
    readme = readme[:match.start()] + section + readme[match.end():]
    with open(readme_path, 'w') as f:
        f.write(readme)


if __name__ == '__main__':
    main()
