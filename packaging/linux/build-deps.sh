#!/bin/sh
# Libraries the Linux bundle carries for Qt's X11 platform plugin. PyInstaller copies them from the build
# machine, so they must be installed there; a desktop usually has them, a server or CI machine often not.
# Run by `make package`: installs what is missing with apt-get when run as root, else says what to install.
set -eu
[ "$(uname -s)" = Linux ] || exit 0
PKGS="libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0
libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0 libx11-xcb1 libfontconfig1
libdbus-1-3 libgomp1"
command -v dpkg-query >/dev/null 2>&1 || { echo "build-deps: not a Debian-like system; make sure the X11/xcb libraries in $0 are installed"; exit 0; }
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build-deps: installing$missing"
    apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
        apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $missing >/dev/null; }
else
    echo "build-deps: the bundle needs these libraries on the build machine:$missing" >&2
    echo "build-deps: sudo apt-get install$missing" >&2
    exit 1
fi
