#!/bin/sh
# Install Hearth for the current user (no root): run from the unpacked hearth/ folder.
#
#   ./install.sh               copy this folder to ~/.local/opt/hearth, add a menu entry, icons and ~/.local/bin/hearth
#   ./install.sh --uninstall   remove exactly those again (your models, chats and settings are kept)
#   ./install.sh --prefix DIR  install the program into DIR/hearth instead of ~/.local/opt/hearth
#
# Honours XDG_DATA_HOME (menu entry and icons) like the desktop does; HOME must be set.
set -eu

SRC=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
OPT=$HOME/.local/opt
BIN=$HOME/.local/bin
ACTION=install

while [ $# -gt 0 ]; do
    case "$1" in
        --uninstall) ACTION=uninstall ;;
        --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }; OPT=$2; shift ;;
        --prefix=*) OPT=${1#--prefix=} ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

DEST=$OPT/hearth
APPS=$DATA_HOME/applications
ICONS=$DATA_HOME/icons/hicolor
DESKTOP=$APPS/hearth.desktop
SIZES="16 32 48 64 128 256 512"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$APPS" 2>/dev/null || true; fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true; fi
}

if [ "$ACTION" = uninstall ]; then
    # the program folder: only if it is a Hearth install (never rm -rf a folder we did not make)
    if [ -f "$DEST/.hearth-install" ]; then rm -rf "$DEST"; echo "removed $DEST"; fi
    if [ -L "$BIN/hearth" ]; then rm -f "$BIN/hearth"; echo "removed $BIN/hearth"; fi
    if [ -f "$DESKTOP" ] && grep -q '^X-Hearth-Installer=1' "$DESKTOP"; then rm -f "$DESKTOP"; echo "removed $DESKTOP"; fi
    for s in $SIZES; do rm -f "$ICONS/${s}x${s}/apps/hearth.png"; done
    rm -f "$ICONS/scalable/apps/hearth.svg"
    refresh_caches
    echo "Hearth is uninstalled. Your models, chats and settings were kept (the About dialog shows where)."
    exit 0
fi

[ -x "$SRC/hearth" ] || { echo "install.sh: run me from the unpacked hearth folder ($SRC/hearth is missing)" >&2; exit 1; }

# 1. the program: copy into a fresh folder next to the target, then swap it in (an update never leaves a mix)
mkdir -p "$OPT"
if [ "$SRC" != "$DEST" ]; then
    if [ -e "$DEST" ] && [ ! -f "$DEST/.hearth-install" ]; then
        echo "install.sh: $DEST exists and is not a Hearth install; not touching it" >&2; exit 1
    fi
    TMP=$DEST.new.$$
    rm -rf "$TMP"
    cp -a "$SRC" "$TMP"
    : > "$TMP/.hearth-install"
    rm -rf "$DEST.old.$$"
    if [ -e "$DEST" ]; then mv "$DEST" "$DEST.old.$$"; fi
    mv "$TMP" "$DEST"
    rm -rf "$DEST.old.$$"
fi
: > "$DEST/.hearth-install"

# 2. a command on PATH
mkdir -p "$BIN"
ln -sfn "$DEST/hearth" "$BIN/hearth"

# 3. icons and the menu entry (absolute Exec path: works even when ~/.local/bin is not on PATH)
for s in $SIZES; do
    if [ -f "$DEST/icons/hearth-$s.png" ]; then
        mkdir -p "$ICONS/${s}x${s}/apps"
        cp "$DEST/icons/hearth-$s.png" "$ICONS/${s}x${s}/apps/hearth.png"
    fi
done
if [ -f "$DEST/icons/hearth.svg" ]; then
    mkdir -p "$ICONS/scalable/apps"
    cp "$DEST/icons/hearth.svg" "$ICONS/scalable/apps/hearth.svg"
fi
mkdir -p "$APPS"
sed -e "s|^Exec=.*|Exec=\"$DEST/hearth\"|" -e "s|^TryExec=.*|TryExec=$DEST/hearth|" "$DEST/hearth.desktop" > "$DESKTOP.tmp"
echo "X-Hearth-Installer=1" >> "$DESKTOP.tmp"
mv "$DESKTOP.tmp" "$DESKTOP"
chmod 644 "$DESKTOP"
refresh_caches

echo "Hearth $("$DEST/hearth" --version 2>/dev/null | sed 's/^Hearth //') is installed in $DEST"
echo "Start it from your applications menu, or run: $BIN/hearth"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(add $BIN to your PATH to run plain 'hearth')" ;; esac
