"""Make ``hearth.ico`` (Windows) and ``hearth.icns`` (macOS) from ``resources/icons/hearth-<size>.png``.

Both formats can hold PNG images as they are (ICO since Windows Vista, ICNS since macOS 10.7), so no image
library is needed and the result is the same on every build machine. On macOS you may use Apple's tool
instead, which gives the same icon:

    python packaging/make_icons.py --iconset build/hearth.iconset   # PNGs named as iconutil wants
    iconutil -c icns build/hearth.iconset -o build/icons/hearth.icns

Usage: ``python packaging/make_icons.py [--out build/icons]``; prints the files it wrote.
"""
from __future__ import annotations

import argparse
import shutil
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"

ICO_SIZES = (16, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size (the @2x types reuse the next size up)
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)
# iconutil's .iconset names: icon_<pt>x<pt>[@2x].png -> pixel size
ICONSET = {
    "icon_16x16.png": 16, "icon_16x16@2x.png": 32, "icon_32x32.png": 32, "icon_32x32@2x.png": 64,
    "icon_128x128.png": 128, "icon_128x128@2x.png": 256, "icon_256x256.png": 256, "icon_256x256@2x.png": 512,
    "icon_512x512.png": 512,
}

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != PNG_MAGIC or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def load_pngs(icons_dir: Path = ICONS) -> dict[int, bytes]:
    """``{size: png bytes}`` for every ``hearth-<size>.png``, checking each really is size x size."""
    out = {}
    for p in icons_dir.glob("hearth-*.png"):
        data = p.read_bytes()
        w, h = png_size(data)
        if w != h or f"hearth-{w}.png" != p.name:
            raise ValueError(f"{p.name} is {w}x{h}")
        out[w] = data
    return out


def build_ico(pngs: dict[int, bytes]) -> bytes:
    sizes = [s for s in ICO_SIZES if s in pngs]
    if not sizes:
        raise ValueError("no PNG icons for the .ico")
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        data = pngs[s]
        dim = 0 if s >= 256 else s  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def build_icns(pngs: dict[int, bytes]) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES:
        if size in pngs:
            body += kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    if not body:
        raise ValueError("no PNG icons for the .icns")
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_iconset(pngs: dict[int, bytes], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name, size in ICONSET.items():
        if size in pngs:
            (dest / name).write_bytes(pngs[size])
    return dest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("build/icons"))
    p.add_argument("--iconset", type=Path, help="also write an iconutil .iconset folder here")
    args = p.parse_args(argv)
    pngs = load_pngs()
    args.out.mkdir(parents=True, exist_ok=True)
    ico, icns = args.out / "hearth.ico", args.out / "hearth.icns"
    ico.write_bytes(build_ico(pngs))
    icns.write_bytes(build_icns(pngs))
    print(ico)
    print(icns)
    if args.iconset:
        shutil.rmtree(args.iconset, ignore_errors=True)
        print(write_iconset(pngs, args.iconset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
