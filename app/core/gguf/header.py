"""Parse and validate a GGUF header (metadata + tensor infos) from any byte source.

GGUF files are untrusted input. Everything read here is checked before it is used, and every problem becomes a
``GGUFError`` with a message a person can act on:

- magic, version (2 or 3, little endian), counts that the remaining bytes could actually hold;
- metadata: known value types, key and string lengths inside the file, valid UTF-8 keys, no duplicate keys,
  bounded array nesting, ``general.alignment`` a power of two;
- tensor infos: names (unique, shorter than 64 bytes), 1-4 dimensions, known and still supported tensor
  types, rows that are whole blocks, no size overflow, offsets laid out the way llama.cpp requires
  (in order, aligned, no overlap, no gap) and data that ends inside the file.

Nothing is allocated in proportion to a count before the bytes behind it have been seen, loops are bounded by
the bytes available, and the contents of big arrays (the vocabulary, merges, scores) are skipped, not stored:
numeric arrays are skipped without reading them, string arrays by walking their length prefixes. So a hostile
file can neither hang the reader nor make it allocate absurd amounts of memory.
"""
from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from app.core.gguf import types as T
from app.core.i18n import QT_TRANSLATE_NOOP, Text, translate

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
MAX_NAME = 64  # GGML_MAX_NAME, including the terminating NUL
MAX_DIMS = 4
MAX_KEY = 65535
MAX_ARRAY_DEPTH = 2  # arrays of arrays are legal; deeper nesting is not something any model uses
KEEP_NUMERIC = 4096  # numeric arrays up to this length are kept (per-layer values); longer ones are skipped
KEEP_STRINGS = 256  # string arrays up to this length are kept; longer ones (vocabularies) are skipped
MAX_TENSOR_ELEMENTS = 1 << 60
MAX_TENSORS = 1 << 18  # the largest real models have a few thousand tensors
MAX_KV = 1 << 17  # ... and a few dozen metadata entries
MAX_STRING_ELEMENTS = 1 << 23  # strings walked in skipped arrays, in all: vocab (~300k) + merges (~500k) fit
DEFAULT_MAX_HEADER = 512 << 20  # no real model has a header anywhere near this


class GGUFError(Exception):
    """The file is not a usable GGUF file; the message says why (and where, when that helps)."""


class ByteSource(Protocol):
    name: str
    size: int

    def read(self, offset: int, n: int) -> bytes:
        """Up to ``n`` bytes at ``offset``; fewer only at the end of the source."""
        ...


class BytesSource:
    def __init__(self, data: bytes, name: str = "<bytes>") -> None:
        self.data = data
        self.name = name
        self.size = len(data)

    def read(self, offset: int, n: int) -> bytes:
        return self.data[offset:offset + n]


class FileSource:
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._f = open(self.path, "rb")
        self.size = os.fstat(self._f.fileno()).st_size

    def read(self, offset: int, n: int) -> bytes:
        self._f.seek(offset)
        return self._f.read(n)

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> "FileSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True)
class SkippedArray:
    """A metadata array too long to keep (e.g. the vocabulary): its element type and length only."""
    item_type: int
    count: int

    def __len__(self) -> int:
        return self.count

    def __repr__(self) -> str:
        return f"<{T.VALUE_TYPE_NAMES.get(self.item_type, '?')}[{self.count}] skipped>"


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]  # ggml order: shape[0] is the row length
    type_id: int
    offset: int  # from the start of the data section
    nbytes: int
    shard: int = 0  # which file of a split model holds it

    @property
    def type_name(self) -> str:
        return T.GGML_TYPES[self.type_id].name

    @property
    def n_elements(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


@dataclass
class GGUFHeader:
    source_name: str
    version: int
    metadata: dict[str, Any]
    tensors: list[TensorInfo]
    alignment: int
    data_offset: int  # where the data section starts (= header length incl. padding)
    file_size: int
    bytes_read: int = 0  # how many bytes the reader actually fetched (remote sources: a small part of the file)

    @property
    def architecture(self) -> str:
        v = self.metadata.get("general.architecture")
        return v if isinstance(v, str) else ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(key, default)

    def arch_get(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}", default)

    @property
    def data_bytes(self) -> int:
        return sum(t.nbytes for t in self.tensors)


@dataclass
class GGUFModel:
    """A model: one GGUF file, or all shards of a split model (``-00001-of-0000N.gguf``)."""
    shards: list[GGUFHeader]
    paths: list[str] = field(default_factory=list)

    @property
    def header(self) -> GGUFHeader:
        return self.shards[0]

    @property
    def metadata(self) -> dict[str, Any]:
        return self.shards[0].metadata

    @property
    def architecture(self) -> str:
        return self.shards[0].architecture

    @property
    def tensors(self) -> list[TensorInfo]:
        return [t for s in self.shards for t in s.tensors]

    @property
    def file_size(self) -> int:
        return sum(s.file_size for s in self.shards)

    def get(self, key: str, default: Any = None) -> Any:
        return self.shards[0].get(key, default)

    def arch_get(self, key: str, default: Any = None) -> Any:
        return self.shards[0].arch_get(key, default)


# ---- reading ----------------------------------------------------------------------------------------------------
class _What:
    """The part of the header being read, for the message of an error there. Its words (in the current language)
    are made only when an error names it, so reading a model with thousands of tensors builds no sentences.
    ``source`` is marked with ``QT_TRANSLATE_NOOP("GgufHeader", ...)`` where it is written; ``values`` may hold
    other ``_What``."""

    __slots__ = ("source", "values")

    def __init__(self, source: str, **values: Any) -> None:
        self.source = source
        self.values = values

    def text(self) -> Text:
        t = translate("GgufHeader", self.source)
        if not self.values:
            return t
        return t.format(**{k: v.text() if isinstance(v, _What) else v for k, v in self.values.items()})

    def __str__(self) -> str:
        return str(self.text())


class _Cursor:
    """Sequential reads over a source, fetching in growing chunks; every read is bounds-checked first."""

    def __init__(self, src: ByteSource, max_header: int, first_chunk: int = 64 << 10,
                 max_chunk: int = 4 << 20) -> None:
        self.src = src
        self.size = src.size
        self.pos = 0
        self.limit = min(self.size, max_header)
        self._buf = b""
        self._buf_start = 0
        self._chunk = first_chunk
        self._max_chunk = max_chunk
        self.fetched = 0

    @property
    def remaining(self) -> int:
        return self.size - self.pos

    def need(self, n: int, what: _What) -> None:
        if n < 0 or self.pos + n > self.size:
            raise GGUFError(translate("GgufHeader", "the file ends in the middle of {what} (at byte {pos:,} of "
                                      "{size:,}); it is truncated or damaged")
                            .format(what=what.text(), pos=self.pos, size=self.size))
        if self.pos + n > self.limit:
            raise GGUFError(translate("GgufHeader", "the header is implausibly large: {what} at byte {pos:,} is "
                                      "past the {limit:,}-byte limit for a GGUF header")
                            .format(what=what.text(), pos=self.pos, limit=self.limit))

    def _fill(self, n: int) -> None:
        end = self._buf_start + len(self._buf)
        if self._buf_start <= self.pos and self.pos + n <= end:
            return
        want = max(n, self._chunk)
        want = min(want, self.size - self.pos)
        data = self.src.read(self.pos, want)
        self.fetched += len(data)
        if len(data) < n:
            raise GGUFError(translate("GgufHeader", "could not read {n} bytes at offset {pos:,} (got {got}); the "
                                      "file is truncated or changed while it was being read")
                            .format(n=n, pos=self.pos, got=len(data)))
        self._buf = data
        self._buf_start = self.pos
        self._chunk = min(self._chunk * 2, self._max_chunk)

    def take(self, n: int, what: _What) -> bytes:
        self.need(n, what)
        self._fill(n)
        i = self.pos - self._buf_start
        self.pos += n
        return self._buf[i:i + n]

    def skip(self, n: int, what: _What) -> None:
        self.need(n, what)
        self.pos += n

    def unpack(self, fmt: str, size: int, what: _What):
        return struct.unpack(fmt, self.take(size, what))[0]

    def u32(self, what: _What) -> int:
        return self.unpack("<I", 4, what)

    def u64(self, what: _What) -> int:
        return self.unpack("<Q", 8, what)


_KEY_RE = re.compile(r"^[\x20-\x7e]+$")


def _length_of(what: _What) -> _What:
    return _What(QT_TRANSLATE_NOOP("GgufHeader", "the length of {what}"), what=what)


def _element_of(i: int, what: _What) -> _What:
    return _What(QT_TRANSLATE_NOOP("GgufHeader", "element {i} of {what}"), i=i, what=what)


class _Parser:
    def __init__(self, src: ByteSource, max_header: int) -> None:
        self.c = _Cursor(src, max_header)
        self.name = src.name
        self.string_budget = MAX_STRING_ELEMENTS

    def string(self, what: _What, max_len: int | None = None, decode: bool = True) -> str | None:
        n = self.c.u64(_length_of(what))
        if max_len is not None and n > max_len:
            raise GGUFError(translate("GgufHeader", "{what} is {n:,} bytes long (at most {max_len:,} allowed)")
                            .format(what=what.text(), n=n, max_len=max_len))
        if n > self.c.remaining:
            raise GGUFError(translate("GgufHeader", "{what} claims {n:,} bytes but only {remaining:,} remain in "
                                      "the file").format(what=what.text(), n=n, remaining=self.c.remaining))
        if not decode:
            self.c.skip(n, what)
            return None
        raw = self.c.take(n, what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise GGUFError(translate("GgufHeader", "{what} is not valid UTF-8 text")
                            .format(what=what.text())) from None

    def value(self, vtype: int, what: _What, depth: int = 0) -> Any:
        if vtype in T.SCALAR_FORMATS:
            fmt, size = T.SCALAR_FORMATS[vtype]
            return self.c.unpack(fmt, size, what)
        if vtype == T.STRING:
            return self.string(what)
        if vtype == T.ARRAY:
            return self.array(what, depth + 1)
        raise GGUFError(translate("GgufHeader", "{what} has unknown value type {vtype}")
                        .format(what=what.text(), vtype=vtype))

    def array(self, what: _What, depth: int) -> Any:
        if depth > MAX_ARRAY_DEPTH:
            raise GGUFError(translate("GgufHeader", "{what} nests arrays {depth} deep; GGUF models never do")
                            .format(what=what.text(), depth=depth))
        itype = self.c.u32(_What(QT_TRANSLATE_NOOP("GgufHeader", "the element type of {what}"), what=what))
        count = self.c.u64(_length_of(what))
        if itype in T.SCALAR_FORMATS:
            fmt, size = T.SCALAR_FORMATS[itype]
            if count > self.c.remaining // size:
                raise GGUFError(translate("GgufHeader", "{what} claims {count:,} elements, more than the rest of "
                                          "the file could hold").format(what=what.text(), count=count))
            if count > KEEP_NUMERIC:
                self.c.skip(count * size, what)
                return SkippedArray(itype, count)
            raw = self.c.take(count * size, what)
            return list(struct.unpack(f"<{count}{fmt[1]}", raw)) if count else []
        if itype == T.STRING:
            if count > self.c.remaining // 8:
                raise GGUFError(translate("GgufHeader", "{what} claims {count:,} strings, more than the rest of "
                                          "the file could hold").format(what=what.text(), count=count))
            if count > KEEP_STRINGS:
                self._skip_strings(count, what)
                return SkippedArray(itype, count)
            return [self.string(_element_of(i, what)) for i in range(count)]
        if itype == T.ARRAY:
            if count > self.c.remaining // 12:
                raise GGUFError(translate("GgufHeader", "{what} claims {count:,} nested arrays, more than the file "
                                          "could hold").format(what=what.text(), count=count))
            out = []
            for i in range(count):
                out.append(self.array(_element_of(i, what), depth + 1))
            return out if count <= KEEP_STRINGS else SkippedArray(itype, count)
        raise GGUFError(translate("GgufHeader", "{what} has unknown element type {itype}")
                        .format(what=what.text(), itype=itype))

    def _skip_strings(self, count: int, what: _What) -> None:
        # the vocabulary: walk the length prefixes without decoding or keeping the text
        c = self.c
        self.string_budget -= count
        if self.string_budget < 0:
            raise GGUFError(translate("GgufHeader", "{what} holds {count:,} strings; together with the other "
                                      "string arrays that is far more than any real model's vocabulary")
                            .format(what=what.text(), count=count))
        unpack = struct.Struct("<Q").unpack_from
        i = 0
        while i < count:
            # fast path: walk the length prefixes inside the buffer already fetched
            c.need(8, _length_of(_element_of(i, what)))
            c._fill(8)
            buf, base = c._buf, c._buf_start
            j = c.pos - base
            end = len(buf)
            while i < count and j + 8 <= end:
                n = unpack(buf, j)[0]
                if n > c.size - (base + j + 8):
                    c.pos = base + j
                    raise GGUFError(translate("GgufHeader", "{what} claims {n:,} bytes but only {remaining:,} "
                                              "remain in the file")
                                    .format(what=_element_of(i, what).text(), n=n,
                                            remaining=c.size - (base + j + 8)))
                j += 8 + n
                i += 1
            c.pos = base + j
            if c.pos > c.limit:
                c.need(0, what)  # past the header limit: raises with the clear message
                raise GGUFError(translate("GgufHeader", "{what} runs past the end of the header limit")
                                .format(what=what.text()))

    def parse(self) -> GGUFHeader:
        c = self.c
        if c.size < 4:
            raise GGUFError(translate("GgufHeader", "the file is only {size} bytes long; a GGUF file starts with "
                                      "'GGUF'").format(size=c.size))
        magic = c.take(4, _What(QT_TRANSLATE_NOOP("GgufHeader", "the magic bytes")))
        if magic != MAGIC:
            if magic[::-1] == MAGIC:
                raise GGUFError(translate("GgufHeader", "the file is a big-endian GGUF, which llama.cpp on this "
                                          "computer cannot read"))
            raise GGUFError(translate("GgufHeader", "this is not a GGUF file (it starts with {start}, not "
                                      "b'GGUF')").format(start=repr(magic)))
        version = c.u32(_What(QT_TRANSLATE_NOOP("GgufHeader", "the version number")))
        if version not in (2, 3):
            if version == 1:
                raise GGUFError(translate("GgufHeader", "GGUF version 1 is too old for current llama.cpp; download "
                                          "a newer conversion"))
            if struct.unpack(">I", struct.pack("<I", version))[0] in (2, 3):
                raise GGUFError(translate("GgufHeader", "the file is a big-endian GGUF, which llama.cpp on this "
                                          "computer cannot read"))
            raise GGUFError(translate("GgufHeader", "unsupported GGUF version {version} (Hearth reads versions 2 "
                                      "and 3)").format(version=version))
        n_tensors = c.u64(_What(QT_TRANSLATE_NOOP("GgufHeader", "the tensor count")))
        n_kv = c.u64(_What(QT_TRANSLATE_NOOP("GgufHeader", "the metadata count")))
        # a tensor info needs at least 8 (name length) + 1 + 4 (dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes,
        # a metadata entry at least 8 (key length) + 1 + 4 (type) + 1 (value) bytes
        if n_tensors > MAX_TENSORS or n_tensors > c.remaining // 33:
            raise GGUFError(translate("GgufHeader", "the header claims {count:,} tensors, more than a file of "
                                      "{size:,} bytes could describe: it is truncated or damaged")
                            .format(count=n_tensors, size=c.size))
        if n_kv > MAX_KV or n_kv > c.remaining // 14:
            raise GGUFError(translate("GgufHeader", "the header claims {count:,} metadata entries, more than a "
                                      "file of {size:,} bytes could hold: it is truncated or damaged")
                            .format(count=n_kv, size=c.size))
        metadata: dict[str, Any] = {}
        for i in range(n_kv):
            key = self.string(_What(QT_TRANSLATE_NOOP("GgufHeader", "metadata key #{i}"), i=i), MAX_KEY)
            if not key or not _KEY_RE.match(key):
                raise GGUFError(translate("GgufHeader", "metadata key #{i} ({key}) is empty or contains characters "
                                          "keys cannot have").format(i=i, key=repr(key)))
            shown = repr(key)
            if key in metadata:
                raise GGUFError(translate("GgufHeader", "metadata key {key} appears twice").format(key=shown))
            vtype = c.u32(_What(QT_TRANSLATE_NOOP("GgufHeader", "the value type of {key}"), key=shown))
            metadata[key] = self.value(vtype, _What(QT_TRANSLATE_NOOP("GgufHeader", "metadata value {key}"),
                                                    key=shown))
            if key == "general.alignment" and vtype != T.UINT32:
                raise GGUFError(translate("GgufHeader", "general.alignment must be a uint32"))
        alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
        if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1) or alignment > 1 << 30:
            raise GGUFError(translate("GgufHeader", "general.alignment is {value}; it must be a power of two")
                            .format(value=repr(alignment)))

        infos: list[tuple[str, tuple[int, ...], int, int]] = []
        seen: set[str] = set()
        for i in range(n_tensors):
            name = self.string(_What(QT_TRANSLATE_NOOP("GgufHeader", "the name of tensor #{i}"), i=i), 1 << 16)
            if not name or len(name.encode("utf-8")) >= MAX_NAME:
                raise GGUFError(translate("GgufHeader", "tensor #{i} has an empty name or one of {max} bytes or "
                                          "more ({name})").format(i=i, max=MAX_NAME, name=repr(name[:80])))
            shown = repr(name)
            if name in seen:
                raise GGUFError(translate("GgufHeader", "tensor {name} appears twice").format(name=shown))
            seen.add(name)
            n_dims = c.u32(_What(QT_TRANSLATE_NOOP("GgufHeader", "the dimension count of tensor {name}"),
                                 name=shown))
            if not 1 <= n_dims <= MAX_DIMS:
                raise GGUFError(translate("GgufHeader", "tensor {name} has {n} dimensions (1 to {max} allowed)")
                                .format(name=shown, n=n_dims, max=MAX_DIMS))
            shape = tuple(c.u64(_What(QT_TRANSLATE_NOOP("GgufHeader", "dimension {d} of tensor {name}"), d=d,
                                      name=shown)) for d in range(n_dims))
            type_id = c.u32(_What(QT_TRANSLATE_NOOP("GgufHeader", "the type of tensor {name}"), name=shown))
            offset = c.u64(_What(QT_TRANSLATE_NOOP("GgufHeader", "the offset of tensor {name}"), name=shown))
            infos.append((name, shape, type_id, offset))

        data_offset = _pad(c.pos, alignment)
        tensors = []
        expected = 0
        prev = ""
        for name, shape, type_id, offset in infos:
            t = _check_tensor(name, shape, type_id)
            nbytes = T.GGML_TYPES[type_id].row_bytes(shape[0]) * (t // shape[0])
            if offset != expected:
                if offset % alignment:
                    raise GGUFError(translate("GgufHeader", "tensor {name} starts at offset {offset:,}, which is not "
                                              "a multiple of the file's alignment ({alignment})")
                                    .format(name=repr(name), offset=offset, alignment=alignment))
                if offset < expected:
                    raise GGUFError(translate("GgufHeader", "tensor {name} (offset {offset:,}) overlaps tensor "
                                              "{other}, which ends at {end:,}")
                                    .format(name=repr(name), offset=offset, other=repr(prev), end=expected))
                raise GGUFError(translate("GgufHeader", "tensor {name} starts at offset {offset:,}, but llama.cpp "
                                          "expects tensors back to back and this one should start at {expected:,}")
                                .format(name=repr(name), offset=offset, expected=expected))
            end = data_offset + offset + nbytes
            if end > c.size:
                raise GGUFError(translate("GgufHeader", "tensor {name} needs bytes up to {end:,} but the file has "
                                          "only {size:,}; the file is truncated (an incomplete download?)")
                                .format(name=repr(name), end=end, size=c.size))
            tensors.append(TensorInfo(name, shape, type_id, offset, nbytes))
            expected = offset + _pad(nbytes, alignment)
            prev = name
        if tensors and data_offset > c.size:
            raise GGUFError(translate("GgufHeader", "the tensor data section starts after the end of the file"))
        return GGUFHeader(source_name=self.name, version=version, metadata=metadata, tensors=tensors,
                          alignment=alignment, data_offset=data_offset, file_size=c.size, bytes_read=c.fetched)


def _pad(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def _check_tensor(name: str, shape: tuple[int, ...], type_id: int) -> int:
    if type_id not in T.GGML_TYPES:
        if type_id in T.REMOVED_TYPES:
            raise GGUFError(translate("GgufHeader", "tensor {name} uses type {type}, which llama.cpp no longer "
                                      "supports; download a newer conversion of this model")
                            .format(name=repr(name), type=T.REMOVED_TYPES[type_id]))
        raise GGUFError(translate("GgufHeader", "tensor {name} has unknown tensor type {type}")
                        .format(name=repr(name), type=type_id))
    n = 1
    for d in shape:
        if d == 0:
            raise GGUFError(translate("GgufHeader", "tensor {name} has a zero-sized dimension {shape}")
                            .format(name=repr(name), shape=str(shape)))
        n *= d
        if n > MAX_TENSOR_ELEMENTS:
            raise GGUFError(translate("GgufHeader", "tensor {name} has an impossible shape {shape}")
                            .format(name=repr(name), shape=str(shape)))
    gt = T.GGML_TYPES[type_id]
    if shape[0] % gt.block_size:
        raise GGUFError(translate("GgufHeader", "tensor {name} has rows of {n} elements, not a multiple of the "
                                  "{type} block size ({block})")
                        .format(name=repr(name), n=shape[0], type=gt.name, block=gt.block_size))
    return n


def read_header(src: ByteSource, max_header: int = DEFAULT_MAX_HEADER) -> GGUFHeader:
    """Parse and validate the header in ``src``. Raises ``GGUFError`` for anything malformed."""
    try:
        return _Parser(src, max_header).parse()
    except (RecursionError, MemoryError, OverflowError, struct.error) as exc:  # belt and braces
        raise GGUFError(translate("GgufHeader", "the header could not be parsed ({error})")
                        .format(error=type(exc).__name__)) from None


def read_header_file(path: str | os.PathLike) -> GGUFHeader:
    """The validated header of one local file (one shard, for split models). ``OSError`` if unreadable."""
    with FileSource(path) as src:
        return read_header(src)


SPLIT_RE = re.compile(r"^(?P<base>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)


def impossible_shards(file: str, count: int) -> GGUFError:
    """The error for a split model's file name that announces an impossible number of shards."""
    return GGUFError(translate("GgufHeader", "{file} names an impossible number of shards ({count})")
                     .format(file=file, count=count))


def in_shard(file: str, exc: GGUFError) -> GGUFError:
    """``exc`` (a shard's problem) with the shard's file name in front."""
    return GGUFError(translate("GgufHeader", "{file}: {error}").format(file=file, error=exc))


def shard_paths(path: str | os.PathLike) -> list[Path]:
    """All files of a split model given any one of them (or ``[path]`` for a single file)."""
    p = Path(path)
    m = SPLIT_RE.match(p.name)
    if not m:
        return [p]
    count = int(m.group("count"))
    if count < 1 or count > 9999:
        raise impossible_shards(p.name, count)
    return [p.with_name(f"{m.group('base')}-{i:05d}-of-{count:05d}.gguf") for i in range(1, count + 1)]


def read_model_file(path: str | os.PathLike) -> GGUFModel:
    """Read a local model: every shard's header for split models, with cross-checks between shards."""
    paths = shard_paths(path)
    shards = []
    for i, p in enumerate(paths):
        if not p.is_file():
            raise GGUFError(translate("GgufHeader", "shard {no} of {count} ({file}) is missing; download all parts "
                                      "of the model into the same folder")
                            .format(no=i + 1, count=len(paths), file=p.name))
        try:
            h = read_header_file(p)
        except GGUFError as exc:
            if len(paths) == 1:
                raise
            raise in_shard(p.name, exc) from None
        shards.append(h)
    return assemble(shards, [str(p) for p in paths])


def assemble(shards: list[GGUFHeader], paths: list[str]) -> GGUFModel:
    """Combine shard headers into a model, checking the split metadata llama.cpp relies on."""
    if len(shards) > 1:
        for i, h in enumerate(shards):
            count = h.get("split.count")
            no = h.get("split.no")
            if count is not None and count != len(shards):
                raise GGUFError(translate("GgufHeader", "{file} says the model has {count} parts, but its name "
                                          "says {named}").format(file=h.source_name, count=count, named=len(shards)))
            if no is not None and no != i:
                raise GGUFError(translate("GgufHeader", "{file} says it is part {no}, but its name says part "
                                          "{named}").format(file=h.source_name, no=no + 1, named=i + 1))
        expected = shards[0].get("split.tensors.count")
        total = sum(len(h.tensors) for h in shards)
        if isinstance(expected, int) and expected != total:
            raise GGUFError(translate("GgufHeader", "the parts hold {total} tensors but the first part announces "
                                      "{expected}").format(total=total, expected=expected))
        names: set[str] = set()
        fixed = []
        for i, h in enumerate(shards):
            tensors = []
            for t in h.tensors:
                if t.name in names:
                    raise GGUFError(translate("GgufHeader", "tensor {name} appears in more than one part")
                                    .format(name=repr(t.name)))
                names.add(t.name)
                tensors.append(TensorInfo(t.name, t.shape, t.type_id, t.offset, t.nbytes, shard=i))
            h.tensors = tensors
            fixed.append(h)
        shards = fixed
    return GGUFModel(shards=shards, paths=paths)
