"""The GGUF header reader: real files (cross-checked with the gguf package), split models, a corpus of malformed
files each with its clear message, and property-based fuzzing (no crash, no hang, no absurd allocation)."""
from __future__ import annotations

import os
import struct
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.gguf.header import (BytesSource, GGUFError, SkippedArray, read_header, read_header_file,
                                  read_model_file)
from tests.support import gguf_bytes as gb
from tests.support.synth_gguf import model_spec, write_gguf


def parse(data: bytes):
    return read_header(BytesSource(data, "test.gguf"))


# ---- real files -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def synthetic_gemma2(tmp_path_factory):
    # the gguf package's reader takes ~40 s on Gemma 3's 262k-token vocabulary: a real-width Gemma 2 layout with
    # a small vocabulary checks the same code paths (tied output, head_dim, sliding window keys) in a second
    spec = model_spec("gemma2", n_layer=2, n_vocab=2048)
    return write_gguf(tmp_path_factory.mktemp("g2") / "gemma2.gguf", spec, data="zeros")[0]


@pytest.mark.parametrize("fixture", ["starter_model", "synthetic_gemma2"])
def test_matches_gguf_package_reader(request, fixture):
    import gguf

    path = request.getfixturevalue(fixture)
    ours = read_header_file(path)
    ref = gguf.GGUFReader(path)
    assert len(ours.tensors) == len(ref.tensors)
    for mine, theirs in zip(ours.tensors, ref.tensors):
        assert mine.name == theirs.name
        assert mine.shape == tuple(int(x) for x in theirs.shape)
        assert mine.type_id == int(theirs.tensor_type)
        assert mine.nbytes == int(theirs.n_bytes)
        assert ours.data_offset + mine.offset == int(theirs.data_offset)
    assert set(ours.metadata) == {k for k in ref.fields if not k.startswith("GGUF.")}
    for key, field in ref.fields.items():
        if key.startswith("GGUF."):
            continue
        mine = ours.metadata[key]
        if isinstance(mine, SkippedArray):
            assert mine.count == len(field.data)
            continue
        value = field.contents()
        if isinstance(mine, float):
            assert mine == pytest.approx(value)
        else:
            assert mine == value, key
    assert ours.file_size == path.stat().st_size
    assert ours.bytes_read < ours.file_size // 5  # the weights are never read


def test_split_model_reads_every_shard(tmp_path):
    spec = model_spec("llama", n_layer=2, n_vocab=512, n_embd=256, n_ff=512, n_head=4, n_head_kv=2)
    paths = write_gguf(tmp_path / "m.gguf", spec, split_max_tensors=8)
    assert len(paths) >= 3 and paths[0].name.endswith("-00001-of-%05d.gguf" % len(paths))
    whole = write_gguf(tmp_path / "whole.gguf", spec)[0]
    model = read_model_file(paths[1])  # any shard finds the others
    single = read_model_file(whole)
    assert [t.name for t in model.tensors] == [t.name for t in single.tensors]
    assert {t.shard for t in model.tensors} == set(range(len(paths)))
    assert model.file_size == sum(p.stat().st_size for p in paths)
    paths[-1].unlink()
    with pytest.raises(GGUFError, match="is missing"):
        read_model_file(paths[0])


# ---- the malformed corpus ---------------------------------------------------------------------------------------
KV = [("general.architecture", gb.STRING, "llama"), ("general.alignment", gb.UINT32, 32)]
TS = [gb.Tensor("a.weight", (64, 2), 0), gb.Tensor("b.weight", (64, 4), 1)]


def _tensor_block_at(data: bytes, name: str) -> int:
    return data.index(struct.pack("<Q", len(name)) + name.encode())


CORPUS = {
    "empty file": (b"", "only 0 bytes long"),
    "wrong magic": (b"GGML" + bytes(60), "not a GGUF file"),
    "a PNG": (b"\x89PNG\r\n\x1a\n" + bytes(100), "not a GGUF file"),
    "big endian": (b"GGUF" + struct.pack(">I", 3) + bytes(40), "big-endian"),
    "version 1": (gb.build(KV, TS, version=1), "version 1 is too old"),
    "version 99": (gb.build(KV, TS, version=99), "unsupported GGUF version 99"),
    "truncated in the counts": (gb.build(KV, TS)[:12], "ends in the middle of the tensor count"),
    "truncated in the metadata": (gb.build(KV, TS)[:40], "truncated"),
    "truncated in the tensor data": (gb.build(KV, TS)[:-100], "the file is truncated"),
    "huge tensor count": (gb.build(KV, TS, n_tensors=2 ** 62), "claims 4,611,686,018,427,387,904 tensors"),
    "huge metadata count": (gb.build(KV, TS, n_kv=2 ** 64 - 1), "metadata entries"),
    "huge string length": (gb.build([("general.name", gb.STRING, "x")], TS).replace(
        struct.pack("<Q", 1) + b"x", struct.pack("<Q", 2 ** 40) + b"x"), "claims 1,099,511,627,776 bytes"),
    "huge array": (gb.build([("a.b", gb.ARRAY, (gb.UINT32, [1, 2]))], TS).replace(
        struct.pack("<IQ", gb.UINT32, 2), struct.pack("<IQ", gb.UINT32, 2 ** 61)), "claims 2,305,843,009,213,693,952"),
    "key not UTF-8": (gb.build([(b"gen\xff\xfe".decode("latin-1"), gb.UINT8, 1)], TS).replace(
        "genÿþ".encode("utf-8"), b"gen\xff\xfe\xfd\xfc"[:len("genÿþ".encode())]), "not valid UTF-8"),
    "value not UTF-8": (gb.build([("general.name", gb.STRING, "abc")], TS).replace(b"abc", b"a\xc3("),
                        "not valid UTF-8"),
    "empty key": (gb.build([("", gb.UINT8, 1)], TS), "empty or contains characters"),
    "duplicate key": (gb.build([("a.b", gb.UINT8, 1), ("a.b", gb.UINT8, 2)], TS), "appears twice"),
    "unknown value type": (gb.build([("a.b", gb.UINT8, 1)], TS).replace(
        struct.pack("<Q", 3) + b"a.b" + struct.pack("<I", gb.UINT8), struct.pack("<Q", 3) + b"a.b"
        + struct.pack("<I", 77)), "unknown value type 77"),
    "arrays nested too deep": (gb.build([("a.b", gb.ARRAY, (gb.ARRAY, [(gb.ARRAY, [(gb.UINT8, [1])])]))], TS),
                               "nests arrays"),
    "alignment not a power of two": (gb.build([("general.alignment", gb.UINT32, 24)], TS), "power of two"),
    "alignment of the wrong type": (gb.build([("general.alignment", gb.UINT64, 32)], TS), "must be a uint32"),
    "unknown tensor type": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0)]).replace(
        struct.pack("<QQI", 64, 2, 0), struct.pack("<QQI", 64, 2, 99)), "unknown tensor type 99"),
    "removed tensor type": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0)]).replace(
        struct.pack("<QQI", 64, 2, 0), struct.pack("<QQI", 64, 2, 31)), "Q4_0_4_4"),
    "too many dimensions": (gb.build(KV, [gb.Tensor("a.weight", (2, 2, 2, 2, 2), 0)]), "5 dimensions"),
    "zero dimension": (gb.build(KV, [gb.Tensor("a.weight", (64, 0), 0)]), "zero-sized dimension"),
    "impossible shape": (gb.build(KV, [gb.Tensor("a.weight", (2 ** 40, 2 ** 40), 0)], data=b""), "impossible"),
    "row not whole blocks": (gb.build(KV, [gb.Tensor("a.weight", (48, 2), 8)]), "not a multiple of the Q8_0"),
    "name too long": (gb.build(KV, [gb.Tensor("n" * 70, (64, 2), 0)]), "64 bytes or more"),
    "duplicate tensor": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0), gb.Tensor("a.weight", (64, 2), 0)]),
                         "appears twice"),
    "overlapping tensors": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0),
                                          gb.Tensor("b.weight", (64, 2), 0, offset=256)]), "overlaps"),
    "tensor gap": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0),
                                 gb.Tensor("b.weight", (64, 2), 0, offset=4096)]), "back to back"),
    "misaligned tensor": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0),
                                        gb.Tensor("b.weight", (64, 2), 0, offset=520)]), "not a multiple"),
    "tensor beyond the end": (gb.build(KV, [gb.Tensor("a.weight", (64, 2), 0, offset=0),
                                            gb.Tensor("b.weight", (64, 2 ** 20), 0)], data=bytes(1024)),
                              "the file is truncated"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_malformed_corpus_gives_clear_errors(name):
    data, message = CORPUS[name]
    t0 = time.perf_counter()
    with pytest.raises(GGUFError) as info:
        parse(data)
    assert message in str(info.value)
    assert time.perf_counter() - t0 < 1.0


def test_corpus_files_are_refused_before_llama_cpp(tmp_path):
    from app.core.engine import EngineError
    from app.core.engine.load_check import validate_for_load

    for i, (name, (data, message)) in enumerate(sorted(CORPUS.items())):
        p = tmp_path / f"bad{i}.gguf"
        p.write_bytes(data)
        with pytest.raises(EngineError) as info:
            validate_for_load(p)
        text = str(info.value)
        assert f"bad{i}.gguf is not a usable GGUF model" in text and message in text, name


def test_valid_small_file_parses():
    h = parse(gb.small_valid())
    assert h.architecture == "llama" and h.metadata["general.name"] == "tiny"
    assert isinstance(h.metadata["tokenizer.ggml.tokens"], SkippedArray)
    assert h.metadata["tokenizer.ggml.tokens"].count == 300
    assert [t.name for t in h.tensors] == ["token_embd.weight", "blk.0.attn_q.weight", "output_norm.weight"]


def test_vocabulary_arrays_are_bounded():
    many = gb.build([("tokenizer.ggml.tokens", gb.ARRAY, (gb.STRING, [""] * 100))], TS)
    # claim ten million strings of length 0: each needs 8 bytes, the file has far fewer
    bad = many.replace(struct.pack("<IQ", gb.STRING, 100), struct.pack("<IQ", gb.STRING, 10_000_000))
    with pytest.raises(GGUFError, match="more than the rest of the file"):
        parse(bad)


# ---- fuzzing ----------------------------------------------------------------------------------------------------
SEED = gb.small_valid()
HEADER_LEN = parse(SEED).data_offset
N = int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(max_examples=N, deadline=1000, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
INTERESTING = [0, 1, 2, 3, 7, 8, 31, 32, 64, 255, 2 ** 16 - 1, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 63,
               2 ** 64 - 1]


def _check_outcome(data: bytes) -> None:
    t0 = time.perf_counter()
    try:
        h = parse(data)
    except GGUFError as exc:
        assert str(exc)
    else:  # whatever parses must be self-consistent: data inside the file, offsets in order
        for t in h.tensors:
            assert h.data_offset + t.offset + t.nbytes <= len(data)
        assert h.bytes_read <= len(data)
    assert time.perf_counter() - t0 < 2.0


@FUZZ
@given(st.lists(st.tuples(st.integers(0, HEADER_LEN - 1), st.integers(0, 7)), min_size=1, max_size=8))
def test_fuzz_bit_flips(flips):
    data = bytearray(SEED)
    for pos, bit in flips:
        data[pos] ^= 1 << bit
    _check_outcome(bytes(data))


@FUZZ
@given(st.integers(0, len(SEED)), st.integers(0, HEADER_LEN - 8),
       st.one_of(st.sampled_from(INTERESTING), st.integers(0, 2 ** 64 - 1)))
def test_fuzz_truncation_and_counts(cut, pos, number):
    data = bytearray(SEED)
    data[pos:pos + 8] = struct.pack("<Q", number)
    _check_outcome(bytes(data[:cut]) if cut < len(SEED) else bytes(data))


@FUZZ
@given(st.binary(min_size=0, max_size=512), st.sampled_from([2, 3]))
def test_fuzz_random_headers(body, version):
    _check_outcome(b"GGUF" + struct.pack("<I", version) + body)
