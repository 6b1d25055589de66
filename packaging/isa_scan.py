"""Which x86-64 instruction-set extensions a compiled library uses, read from its machine code.

    python packaging/isa_scan.py PATH...    # a library or a folder of them; exit 1 when one is not portable

Hearth's llama.cpp must run on every x86-64 CPU with AVX2 (packaging/portable_llama.py). This disassembles
each ELF library with `objdump -d` (binutils) and counts, per instruction:
- EVEX-encoded instructions (AVX-512 in all its forms: zmm, mask registers, and AVX-512VL on xmm/ymm): in
  64-bit code the byte 0x62 after the legacy prefixes can only start an EVEX instruction;
- AMX instructions (ldtilecfg, tileloadd, tdpbssd, ...);
- AVX-VNNI (VEX-encoded vpdpbusd & co.), which x86-64-v3 CPUs such as Haswell and Zen 2 lack;
- AVX2-level code (ymm registers), to show the scan sees vector code at all.
Non-x86 or non-ELF files are skipped (macOS and Windows builds are not scanned here).
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

LEGACY_PREFIXES = {0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x3E, 0x26, 0x64, 0x65, 0x36, 0xF0}
AMX = re.compile(r"^(ldtilecfg|sttilecfg|tileloadd\w*|tilestored|tilezero|tilerelease|tdp\w+|tcmmr\w*|tcmmi\w*)$")
VNNI = {"vpdpbusd", "vpdpbusds", "vpdpwssd", "vpdpwssds"}
LINE = re.compile(r"^\s*[0-9a-f]+:\t((?:[0-9a-f]{2} )+)\s*\t?(.*)$")


@dataclass
class IsaCounts:
    path: Path
    instructions: int = 0
    evex: int = 0
    amx: int = 0
    avx_vnni: int = 0
    ymm: int = 0
    examples: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        out = []
        for kind, n in (("AVX-512 (EVEX)", self.evex), ("AMX", self.amx), ("AVX-VNNI", self.avx_vnni)):
            if n:
                out.append(f"{self.path.name}: {n} {kind} instructions, e.g. `{self.examples.get(kind, '?')}`")
        return out


def is_elf_x86_64(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    # ELF magic, 64-bit class, e_machine 62 (x86-64) at offset 18, little-endian
    return len(head) == 20 and head[:4] == b"\x7fELF" and head[4] == 2 and head[18:20] == b"\x3e\x00"


def is_cpu_library_name(name: str) -> bool:
    return name.startswith("lib") and (".so" in name or name.endswith(".dylib")) or name.endswith(".dll")


def scan(path: Path) -> IsaCounts:
    """Counts for one ELF library (objdump must be on PATH)."""
    objdump = shutil.which("objdump")
    if objdump is None:
        raise RuntimeError("objdump not found: install binutils (apt-get install binutils)")
    counts = IsaCounts(path)
    proc = subprocess.Popen([objdump, "-d", "-w", str(path)],
                            stdout=subprocess.PIPE, text=True, errors="replace", bufsize=1 << 20)
    assert proc.stdout is not None
    for line in proc.stdout:
        m = LINE.match(line)
        if not m:
            continue
        text = m.group(2).strip()
        if not text or text.startswith("(bad)"):
            continue  # a continuation line of a long instruction, or bytes that are not code
        counts.instructions += 1
        raw = [int(b, 16) for b in m.group(1).split()]
        i = 0
        while i < len(raw) and raw[i] in LEGACY_PREFIXES:
            i += 1
        words = text.replace("{vex}", "").replace("{evex}", "").split()
        mnemonic = words[0] if words else ""
        if i < len(raw) and raw[i] == 0x62:
            counts.evex += 1
            counts.examples.setdefault("AVX-512 (EVEX)", text)
        elif AMX.match(mnemonic):
            counts.amx += 1
            counts.examples.setdefault("AMX", text)
        elif mnemonic in VNNI:
            counts.avx_vnni += 1  # VEX-encoded (EVEX ones are counted above)
            counts.examples.setdefault("AVX-VNNI", text)
        if "%ymm" in text:
            counts.ymm += 1
    proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(f"objdump failed on {path} (exit {proc.returncode})")
    return counts


def libraries(path: Path) -> list[Path]:
    """The x86-64 ELF libraries at `path`, each content once (wheels carry libx.so, .so.0 and .so.0.1 as copies)."""
    if path.is_file():
        return [path] if is_elf_x86_64(path) else []
    seen: dict[str, Path] = {}
    for p in sorted(path.rglob("*"), key=lambda p: (len(p.name), p.name)):
        if p.is_file() and not p.is_symlink() and is_cpu_library_name(p.name) and is_elf_x86_64(p):
            seen.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
    return sorted(seen.values())


def scan_all(path: Path) -> list[IsaCounts]:
    return [scan(p) for p in libraries(path)]


def forbidden_in(path: Path) -> list[str]:
    """One line per library under `path` holding AVX-512, AMX or AVX-VNNI code; empty when portable."""
    return [problem for counts in scan_all(path) for problem in counts.problems()]


def main(argv: list[str]) -> int:
    bad = False
    for arg in argv or ["."]:
        for c in scan_all(Path(arg)):
            print(f"{c.path}: {c.instructions} instructions, ymm {c.ymm}, EVEX {c.evex}, AMX {c.amx}, "
                  f"AVX-VNNI {c.avx_vnni}")
            for p in c.problems():
                print("  NOT PORTABLE:", p)
                bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
