"""Fuzzing the GGUF header reader, bounded by count and by time so it fits in CI.

1. Structure-aware mutations (bit flips, interesting integers at field positions, truncation, chunks deleted,
   duplicated or inserted) of three real headers -- a tiny hand-made file, a Llama-shaped synthetic header and
   the starter model's own 1.6 MB header -- fed to the reader as whole files (a virtual source: the header, then
   zeros up to the real file size). Every input must give a ``GGUFError`` with a message or a self-consistent
   result, quickly, and nothing else.
2. What the reader lets through must not crash llama.cpp: mutants of the starter model whose *values* are changed
   (counts, sizes, floats set to NaN, tokenizer strings and types scrambled) and which pass Hearth's check are loaded
   through ``Engine.load`` in a child process; each must load or be refused with a clear error, and the child must
   never die (``abort()`` from a ``GGML_ASSERT`` would take the whole app down: the layer and expert counts are
   now checked by ``app/core/engine/load_check.py`` because this test found them).

``HEARTH_FUZZ_SECONDS`` (default 15) and ``HEARTH_FUZZ_EXAMPLES`` (default 20000) bound part 1,
``HEARTH_FUZZ_LOADS`` (default 12) part 2; ``HEARTH_FUZZ_SEED`` replays a run (the seed is printed).
"""
from __future__ import annotations

import json
import os
import random
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.gguf.header import GGUFError, read_header, read_header_file
from tests.hub.gguf_files import model_header
from tests.support import gguf_bytes as gb

ROOT = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("HEARTH_FUZZ_SECONDS", "15"))
EXAMPLES = int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "20000"))
LOADS = int(os.environ.get("HEARTH_FUZZ_LOADS", "12"))
INTERESTING = [0, 1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 255, 256, 2 ** 15, 2 ** 16 - 1, 2 ** 31 - 1, 2 ** 31,
               2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 62, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1]


def seed_value() -> int:
    return int(os.environ.get("HEARTH_FUZZ_SEED", str(random.SystemRandom().randrange(1 << 31))))


class VirtualSource:
    """A whole file without the bytes: the header, then zeros up to ``size``."""

    def __init__(self, head: bytes, size: int, name: str = "fuzz.gguf") -> None:
        self.head, self.size, self.name = head, max(size, len(head)), name

    def read(self, offset: int, n: int) -> bytes:
        if offset >= self.size or n <= 0:
            return b""
        n = min(n, self.size - offset)
        part = self.head[offset:offset + n]
        return part + bytes(n - len(part))


def mutate(rng: random.Random, head: bytes) -> bytes:
    b = bytearray(head)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        kind = rng.randrange(7)
        pos = rng.randrange(len(b)) if b else 0
        if kind == 0 and b:  # bit flip
            b[pos] ^= 1 << rng.randrange(8)
        elif kind == 1 and len(b) >= 8:  # an interesting 64-bit number, 4-aligned (counts, lengths, dims, offsets)
            p = rng.randrange(0, len(b) - 7) // 4 * 4
            b[p:p + 8] = struct.pack("<Q", rng.choice(INTERESTING))
        elif kind == 2 and len(b) >= 4:  # an interesting 32-bit number (types, dim counts, alignment)
            p = rng.randrange(0, len(b) - 3) // 4 * 4
            b[p:p + 4] = struct.pack("<I", rng.choice(INTERESTING) & 0xFFFFFFFF)
        elif kind == 3:  # truncate
            del b[rng.randrange(len(b) + 1):]
        elif kind == 4 and b:  # delete a chunk
            del b[pos:pos + rng.randrange(1, 64)]
        elif kind == 5 and b:  # duplicate a chunk
            chunk = b[pos:pos + rng.randrange(1, 256)]
            b[pos:pos] = chunk
        elif kind == 6:  # insert random bytes
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    return bytes(b)


@pytest.fixture(scope="module")
def seeds(starter_model):
    small = gb.small_valid()
    llama_head, llama_data = model_header(n_layers=4)
    h = read_header_file(starter_model)
    with open(starter_model, "rb") as f:
        starter_head = f.read(h.data_offset)
    return [(small, len(small)), (llama_head, len(llama_head) + llama_data),
            (starter_head, starter_model.stat().st_size)]


def test_header_reader_fuzz_bounded(seeds):
    seed = seed_value()
    print(f"\nheader fuzz seed: {seed}  (replay: HEARTH_FUZZ_SEED={seed})")
    rng = random.Random(seed)
    t0 = time.monotonic()
    n = accepted = 0
    slowest = 0.0
    while n < EXAMPLES and time.monotonic() - t0 < SECONDS:
        # the 1.6 MB starter header parses in ~50 ms: one input in twenty, so small inputs get most of the time
        head, size = seeds[2] if rng.random() < 0.05 else seeds[rng.randrange(2)]
        data = mutate(rng, head)
        src = VirtualSource(data, size if rng.random() < 0.7 else len(data))
        t = time.perf_counter()
        try:
            h = read_header(src)
        except GGUFError as exc:
            assert str(exc), f"seed {seed}, example {n}: an error without a message"
        else:
            accepted += 1
            for ti in h.tensors:
                assert h.data_offset + ti.offset + ti.nbytes <= src.size, f"seed {seed}, example {n}"
            assert h.bytes_read <= src.size
        slowest = max(slowest, time.perf_counter() - t)  # reported, not asserted (a hang hits the test timeout)
        n += 1
    print(f"{n} inputs in {time.monotonic() - t0:.1f} s, {accepted} accepted, slowest {slowest * 1000:.0f} ms")


# ---- part 2: what passes the check must not crash llama.cpp --------------------------------------------------------
def kv_values(head: bytes) -> list[tuple[str, int, int, int]]:
    """(key, value type, offset, length) of every scalar metadata value and of string/array elements."""
    out = []
    pos = 24
    n_kv = struct.unpack_from("<Q", head, 16)[0]

    def string(p):
        n = struct.unpack_from("<Q", head, p)[0]
        return p + 8, n

    def value(key, vtype, p, depth=0):
        if vtype == gb.STRING:
            start, n = string(p)
            out.append((key, vtype, start, n))
            return start + n
        if vtype == gb.ARRAY:
            itype, count = struct.unpack_from("<IQ", head, p)
            p += 12
            for _ in range(count):
                p = value(key, itype, p, depth + 1)
            return p
        size = struct.calcsize(gb._FMT[vtype])
        out.append((key, vtype, p, size))
        return p + size

    for _ in range(n_kv):
        start, n = string(pos)
        key = head[start:start + n].decode()
        vtype = struct.unpack_from("<I", head, start + n)[0]
        pos = value(key, vtype, start + n + 4)
    return out


def value_mutants(rng: random.Random, head: bytes, size: int, count: int) -> list[tuple[str, bytes]]:
    """Mutants that change values but keep the layout; only those Hearth's reader accepts."""
    fields = kv_values(head)
    by_key: dict[str, list] = {}
    for f in fields:
        by_key.setdefault(f[0], []).append(f)
    keys = sorted(by_key)
    out = []
    tries = 0
    while len(out) < count and tries < count * 50:
        tries += 1
        b = bytearray(head)
        what = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            key = rng.choice(keys)
            key_, vtype, p, n = rng.choice(by_key[key])
            if vtype == gb.STRING:
                if n == 0:
                    continue
                k = rng.randrange(1, min(n, 8) + 1)
                at = p + rng.randrange(n - k + 1)
                b[at:at + k] = bytes(rng.choice(b"abz \x01<>|%{}0") for _ in range(k))
                what.append(f"{key} string bytes")
            elif vtype in (gb.FLOAT32, gb.FLOAT64):
                v = rng.choice([float("nan"), float("inf"), -float("inf"), 0.0, -1.0, 1e30])
                b[p:p + n] = struct.pack(gb._FMT[vtype], v)
                what.append(f"{key}={v}")
            elif vtype == gb.BOOL:
                b[p] ^= 1
                what.append(f"{key} flipped")
            else:
                fmt = gb._FMT[vtype]
                bits = n * 8
                v = rng.choice([0, 1, 2, 3, 7, 8, 64, 1000, 2 ** (bits - 1) - 1, -1, 2 ** bits - 1])
                if fmt.islower():
                    v = max(-(2 ** (bits - 1)), min(v, 2 ** (bits - 1) - 1))
                else:
                    v = v % (2 ** bits)
                b[p:p + n] = struct.pack(fmt, v)
                what.append(f"{key}={v}")
        data = bytes(b)
        try:
            read_header(VirtualSource(data, size))
        except GGUFError:
            continue
        out.append((", ".join(what), data))
    return out


LOADER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from app.core.engine import Engine, EngineError, LoadOptions
for path in sys.argv[2:]:
    print("START " + path, flush=True)
    e = Engine()
    try:
        info = e.load(path, LoadOptions(n_ctx=64, n_threads=1, n_batch=32))
    except EngineError as exc:
        print("REFUSED " + json.dumps([path, str(exc)[:300]]), flush=True)
        continue
    except Exception as exc:  # the engine worker reports these as "Unexpected error while loading"
        print("FAILED " + json.dumps([path, repr(exc)[:300]]), flush=True)
        continue
    try:  # what the chat does first: format and count a message (the worker turns errors into messages)
        n = e.count_tokens([{"role": "user", "content": "hi"}])
        print("LOADED " + json.dumps([path, info.architecture, n]), flush=True)
    except Exception as exc:
        print("FAILED " + json.dumps([path, repr(exc)[:300]]), flush=True)
    finally:
        e.unload()
"""


def test_values_the_reader_accepts_do_not_crash_llama_cpp(starter_model, tmp_path):
    seed = seed_value()
    print(f"\nllama.cpp differential fuzz seed: {seed}  (replay: HEARTH_FUZZ_SEED={seed})")
    rng = random.Random(seed)
    h = read_header_file(starter_model)
    with open(starter_model, "rb") as f:
        head = f.read(h.data_offset)
    size = starter_model.stat().st_size
    mutants = value_mutants(rng, head, size, LOADS)
    assert len(mutants) == LOADS
    files, described = [], {}
    for i, (what, data) in enumerate(mutants):
        p = tmp_path / f"mutant-{i:02d}.gguf"
        with open(p, "wb") as f:
            f.write(data)
            f.truncate(size)  # the weights are a sparse hole: llama.cpp does not look at their values
        files.append(str(p))
        described[str(p)] = what
    outcomes: dict[str, str] = {}
    todo = list(files)
    crashes = []
    while todo:
        r = subprocess.run([sys.executable, "-c", LOADER, str(ROOT), *todo], capture_output=True, text=True,
                           timeout=300, cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        started = [l[6:] for l in r.stdout.splitlines() if l.startswith("START ")]
        for l in r.stdout.splitlines():
            for kind in ("LOADED ", "REFUSED ", "FAILED "):
                if l.startswith(kind):
                    outcomes[json.loads(l[len(kind):])[0]] = kind.strip()
        if r.returncode == 0:
            break
        # the process died (a signal: abort() from a GGML_ASSERT, a segfault): that would take Hearth down
        last = started[-1] if started else todo[0]
        crashes.append((Path(last).name, described[last], r.returncode, r.stderr.strip().splitlines()[-3:]))
        todo = todo[todo.index(last) + 1:]
    print(f"{len(files)} accepted mutants: " + ", ".join(f"{Path(p).name} {o}" for p, o in sorted(outcomes.items())))
    assert crashes == [], f"seed {seed}: llama.cpp died on files Hearth's check accepted: {crashes}"
    assert set(outcomes) == set(files)


# ---- regressions: values llama.cpp aborts on (found by the fuzz above) ----------------------------------------------
def with_values(head: bytes, changes: dict[str, int], extra: dict[str, int] | None = None) -> bytes:
    """``head`` with existing integer values changed and extra uint32 keys added (padded to keep the alignment)."""
    b = bytearray(head)
    for key, vtype, p, n in kv_values(head):
        if key in changes:
            b[p:p + n] = struct.pack(gb._FMT[vtype], changes[key])
    if extra:
        fields = kv_values(head)
        end = max(p + n for _, _, p, n in fields)
        add = b"".join(gb.s(k) + struct.pack("<II", gb.UINT32, v) for k, v in extra.items())
        pad_len = -(len(add) + 8 + len("hearth.pad") + 4 + 8) % 32
        add += gb.s("hearth.pad") + struct.pack("<I", gb.STRING) + gb.s("x" * pad_len)
        b[end:end] = add
        n_kv = struct.unpack_from("<Q", b, 16)[0]
        struct.pack_into("<Q", b, 16, n_kv + len(extra) + 1)
        assert len(add) % 32 == 0
    return bytes(b)


ABORTING = {
    "no layers": ({"llama.block_count": 0}, None, "llama.block_count is 0"),
    "too many layers": ({"llama.block_count": 513}, None, "supports 1 to 512 layers"),
    "layer count -1": ({"llama.block_count": 2 ** 32 - 1}, None, "4,294,967,295"),
    "too many experts": ({}, {"llama.expert_count": 1025, "llama.expert_used_count": 2}, "at most 1024 experts"),
    "experts never used": ({}, {"llama.expert_count": 8, "llama.expert_used_count": 0}, "expert_used_count is 0"),
    "more used than exist": ({}, {"llama.expert_count": 4, "llama.expert_used_count": 9}, "is larger than"),
    "used without experts": ({}, {"llama.expert_used_count": 2}, "is larger than llama.expert_count (0)"),
    "absurd training context": ({"llama.context_length": 2 ** 32 - 1}, None, "which no model has"),
    # found by the mutation fuzz (seed 683784898): llama.cpp aborts (SIGABRT) on a NaN epsilon
    "nan epsilon": ({"llama.attention.layer_norm_rms_epsilon": float("nan")}, None,
                    "llama.attention.layer_norm_rms_epsilon is nan; a model's settings must be finite numbers"),
    # found by the mutation fuzz (seed 1998411912): ggml asserts eps >= 0 and aborts at the first token
    "negative epsilon": ({"llama.attention.layer_norm_rms_epsilon": -1.0}, None,
                         "llama.attention.layer_norm_rms_epsilon is -1.0; a normalization epsilon cannot be negative"),
    "infinite rope base": ({"llama.rope.freq_base": float("inf")}, None, "llama.rope.freq_base is inf"),
}


@pytest.fixture(scope="module")
def starter_head(starter_model):
    h = read_header_file(starter_model)
    with open(starter_model, "rb") as f:
        return f.read(h.data_offset), starter_model.stat().st_size


@pytest.mark.parametrize("case", sorted(ABORTING))
def test_values_llama_cpp_aborts_on_are_refused_with_the_reason(case, starter_head, tmp_path):
    from app.core.engine import EngineError
    from app.core.engine.load_check import validate_for_load

    head, size = starter_head
    changes, extra, message = ABORTING[case]
    p = tmp_path / "bad.gguf"
    with open(p, "wb") as f:
        f.write(with_values(head, changes, extra))
        f.truncate(size + (len(with_values(head, changes, extra)) - len(head)))
    read_header_file(p)  # structurally fine: only the values are wrong
    with pytest.raises(EngineError, match="bad.gguf is not a usable GGUF model: ") as info:
        validate_for_load(p)
    assert message in str(info.value)


def test_limits_match_the_bundled_llama_cpp(starter_head, tmp_path):
    """Why the check exists, and that its limits are this llama.cpp's: handed straight to llama.cpp, a file one
    past a limit kills the process (SIGABRT); at the limit llama.cpp only refuses it (an exception)."""
    from app.core.engine.load_check import LLAMA_MAX_EXPERTS, LLAMA_MAX_LAYERS

    head, size = starter_head
    cases = {
        "layers at the limit": ({"llama.block_count": LLAMA_MAX_LAYERS}, None, False),
        "layers past the limit": ({"llama.block_count": LLAMA_MAX_LAYERS + 1}, None, True),
        "experts at the limit": ({}, {"llama.expert_count": LLAMA_MAX_EXPERTS, "llama.expert_used_count": 2}, False),
        "experts past the limit": ({}, {"llama.expert_count": LLAMA_MAX_EXPERTS + 1, "llama.expert_used_count": 2},
                                   True),
    }
    for name, (changes, extra, aborts) in cases.items():
        p = tmp_path / "limit.gguf"
        data = with_values(head, changes, extra)
        with open(p, "wb") as f:
            f.write(data)
            f.truncate(size + len(data) - len(head))
        code = f"import llama_cpp; llama_cpp.Llama({str(p)!r}, n_ctx=64, n_threads=1, verbose=False)"
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        if aborts:
            assert r.returncode < 0, (name, r.returncode, r.stderr[-300:])
        else:
            assert r.returncode == 1 and "Failed to load model" in r.stderr, (name, r.returncode, r.stderr[-300:])
