"""Copies of a real GGUF model with a different chat template (hostile templates for the sandbox tests).

The template is a string in the header's metadata. Replacing it changes the header's length; the tensor data
must stay aligned, so the new template is padded with a Jinja comment until the header grows by a multiple of
``general.alignment``. Tensor offsets are relative to the data section, so they stay valid. The copy's tensor
data is a sparse hole (zeros): llama.cpp loads it like the real model, and it costs no disk space.
"""
from __future__ import annotations

import struct
from pathlib import Path

from app.core.gguf.header import read_header_file

KEY = b"tokenizer.chat_template"
GGUF_STRING = 8


def _entry(value: bytes) -> bytes:
    return struct.pack("<Q", len(KEY)) + KEY + struct.pack("<IQ", GGUF_STRING, len(value)) + value


def with_chat_template(src: Path, dest: Path, template: str, keep_weights: bool = False) -> Path:
    h = read_header_file(src)
    old = h.metadata[KEY.decode()].encode("utf-8")
    align = int(h.metadata.get("general.alignment", 32))
    new = template.encode("utf-8")
    extra = -(len(new) - len(old)) % align
    if 0 < extra < 4:  # a Jinja comment is at least "{##}"
        extra += align
    if extra:
        new = b"{#" + b" " * (extra - 4) + b"#}" + new
    with open(src, "rb") as f:
        head = f.read(h.data_offset)
    needle = _entry(old)
    at = head.find(needle)
    if at < 0 or head.find(needle, at + 1) >= 0:
        raise ValueError(f"{src.name}: the chat template entry was not found exactly once")
    new_head = head[:at] + _entry(new) + head[at + len(needle):]
    assert (len(new_head) - len(head)) % align == 0
    size = src.stat().st_size
    with open(dest, "wb") as out:
        out.write(new_head)
        if keep_weights:
            with open(src, "rb") as f:
                f.seek(h.data_offset)
                while chunk := f.read(4 << 20):
                    out.write(chunk)
        else:
            out.truncate(len(new_head) + size - h.data_offset)
    got = read_header_file(dest)
    assert got.metadata[KEY.decode()] == new.decode("utf-8") and len(got.tensors) == len(h.tensors)
    return dest
