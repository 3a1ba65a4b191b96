#!/bin/bash
# screenshots.sh: the Migration Manager screenshots of the metainfo, taken
# from the real app on Xvfb: a website on vsftpd copied to this computer
# (mid-run, then a rerun's log and the history), a finished local transfer
# beside it. Driven with xdotool, captured with ImageMagick's import.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage, from a build directory (BUILD defaults to the current one):
#   python3 ../tests/fixtures/ferry-testenv.py --ftp --keyring --display -- \
#     bash ../build-aux/screenshots.sh
# OUT (default: ./screenshots) receives m01-start … m05-history.png at
# 1090×690; PREFIX names them apart. For German, build with a prefix whose
# locale folder has ferry.mo (meson install) and set, for example,
#   APP_ENV="LOCPATH=/tmp/locale LANG=de_DE.UTF-8 LANGUAGE=de" PREFIX=de-
# (localedef -i de_DE -f UTF-8 /tmp/locale/de_DE.UTF-8 makes the locale).
# BIG_MB=N adds one N MB file to the website, so the mid-run shot catches
# a long copy: data/screenshots/manager-running.png is m02-running with
# BIG_MB=800 MIDRUN=5 (the big file last, 4000 of 4001 files done), and
# manager-up-to-date.png is m04-rerun.
# Look at every picture before one goes to data/screenshots/.
set -e
B=$(realpath "${BUILD:-.}")
OUT=${OUT:-$B/screenshots}
mkdir -p "$OUT"
export GSETTINGS_SCHEMA_DIR=$B/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
CLI=$B/src/cli/ferry-cli

python3 - "$FERRY_TEST_FTP_ROOT/www" "$HOME/Pictures" <<'PY'
import os, sys
root = sys.argv[1]
dirs = ['assets/css', 'assets/js', 'images/2024', 'images/2025', 'blog/2024', 'blog/2025', 'docs/guide']
for i in range(4000):
    d = os.path.join(root, dirs[i % len(dirs)])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f'page-{i:04d}.html'), 'wb') as f:
        f.write(b'x' * (2000 + (i * 37) % 30000))
big = int(os.environ.get('BIG_MB', '0'))
if big > 0:
    os.makedirs(os.path.join(root, 'downloads'), exist_ok=True)
    with open(os.path.join(root, 'downloads', 'site-archive-2025.tar.gz'), 'wb') as f:
        f.truncate(big * 1024 * 1024)
pics = sys.argv[2]
for i in range(120):
    d = os.path.join(pics, ['holiday', 'family', 'garden'][i % 3])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f'IMG_{1000 + i}.jpg'), 'wb') as f:
        f.write(b'y' * (300000 + i * 1000))
PY
chmod -R a+rX "$FERRY_TEST_FTP_ROOT/www"
chown -R "$FERRY_TEST_USER" "$FERRY_TEST_FTP_ROOT/www" || true

printf '%s' "$FERRY_TEST_PASSWORD" | $CLI connector add "Web server" --type ftp --server 127.0.0.1 \
  --port "$FERRY_TEST_FTP_PORT" --user "$FERRY_TEST_USER" --password-stdin >/dev/null
$CLI transfer add "Website backup" --from "Web server:/www" --to "local:$HOME/Backups/website" --parallel 2
$CLI transfer add "Photos to archive" --from "local:$HOME/Pictures" --to "local:$HOME/Archive/photos"
$CLI run "Photos to archive" >/dev/null

shot () {
  import -window root -crop 1090x690+0+0 +repage "$OUT/${PREFIX}$1.png"
  echo "shot $1"
}

env ${APP_ENV} $B/src/ui/ferry &
APP=$!
for i in $(seq 50); do xdotool search --onlyvisible --name "Ferry" >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
WIN=$(xdotool search --onlyvisible --name "Ferry" | head -1)
xdotool windowsize "$WIN" 1090 690
xdotool windowmove "$WIN" 0 0
sleep 1
shot m01-start
# Website backup is the second row.
xdotool mousemove 200 175 click 1; sleep 0.7
xdotool key ctrl+r
sleep ${MIDRUN:-4}
shot m02-running
for i in $(seq 120); do
  sleep 1
  [ "$(find "$HOME/Backups/website" -type f -name '*.html' | wc -l)" -ge 4000 ] && break
done
sleep 3
shot m03-done
xdotool key ctrl+r; sleep 5
shot m04-rerun
xdotool mousemove 880 74 click 1; sleep 1
shot m05-history
kill $APP
wait $APP || true
