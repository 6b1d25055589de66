"""Images into a llama.cpp context through libmtmd (llama.cpp's multimodal library, bundled with llama-cpp-python).

A ``Projector`` is an mmproj file loaded against a ``llama_cpp.Llama``. ``tokenize`` splits a rendered prompt at
its media markers into text and image chunks; ``eval_chunk`` decodes one chunk into the Llama's context (sequence
0) at a position the caller tracks: images encode and decode inside llama.cpp, so ``Llama.n_tokens`` and its token
list no longer describe the KV cache and the caller must not mix ``Llama.eval`` prefix reuse with this.
No Qt; llama_cpp is imported inside functions. Not thread-safe: use one Projector from one thread.

Checked in Python before llama.cpp sees it, because these abort the whole process in the bundled build (found
with tests/support/make_mmproj.py): the GGUF structure (Hearth's header reader; llama.cpp itself returns an error
for truncated files), a zero or non-dividing head count and a zero image size (GGML_ASSERT in the warmup graph), a
NaN or negative norm epsilon (GGML_ASSERT at the first encode), and text chunks holding tokens the model lacks (a
projector made for another text model: idefics3 looks up SmolVLM's special tokens; GGML_ASSERT in the decode).
"""
from __future__ import annotations

import ctypes
import hashlib
import math
import re
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from app.core.i18n import translate


class ProjectorError(Exception):
    """The projector cannot be used, or a call into it failed; the message says why, for a person."""


@dataclass(frozen=True)
class Image:
    """Packed 8-bit RGB pixels, row by row. ``id`` defaults to a sha256 of the size and pixels."""
    width: int
    height: int
    rgb: bytes
    id: str = ""

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or len(self.rgb) != self.width * self.height * 3:
            raise ProjectorError(f"an image of {self.width}x{self.height} needs {self.width * self.height * 3} "
                                 f"bytes of RGB, not {len(self.rgb)}")
        if not self.id:
            digest = hashlib.sha256(f"{self.width}x{self.height}:".encode() + self.rgb).hexdigest()
            object.__setattr__(self, "id", digest)


@dataclass
class Chunk:
    """One piece of a tokenized prompt. ``n_pos`` is how far it advances the position (not always n_tokens)."""
    kind: str  # "text" or "image"
    n_tokens: int
    n_pos: int
    tokens: list[int] = field(default_factory=list)  # text chunks only
    image_id: str | None = None  # image chunks only
    non_causal: bool = False  # image chunks: llama.cpp decodes them with causal attention off (the helper does it)
    _ptr: int = field(default=0, repr=False)
    _owner: "Tokenized | None" = field(default=None, repr=False, compare=False)


class Tokenized(list):
    """The chunks of one prompt (a list of ``Chunk``) and the C memory behind them; ``close()`` frees it."""

    def __init__(self, projector: "Projector", handle: int, chunks: list[Chunk]) -> None:
        super().__init__(chunks)
        self._projector = projector  # keeps the mtmd context alive as long as the chunks
        self._free = weakref.finalize(self, _free_chunks, handle)

    @property
    def closed(self) -> bool:
        return not self._free.alive

    @property
    def n_pos(self) -> int:
        return sum(c.n_pos for c in self)

    def close(self) -> None:
        self._free()

    def __enter__(self) -> "Tokenized":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # by identity, not by contents: the Projector keeps these in a WeakSet
    __hash__ = object.__hash__
    __eq__ = object.__eq__


def _free_chunks(handle: int) -> None:
    from llama_cpp import mtmd_cpp

    mtmd_cpp.mtmd_input_chunks_free(handle)


_log_lock = threading.Lock()
_log_routed = False


def _route_logs() -> None:
    """Send libmtmd's and clip's log lines where llama.cpp's go (llama_log), so ``Capture`` sees them."""
    global _log_routed
    from app.core.engine import llama_log
    from llama_cpp import mtmd_cpp

    with _log_lock:
        if not _log_routed:
            llama_log.install()
            # the same ctypes thunk llama_log keeps alive; mtmd_log_set also sets clip's logger
            mtmd_cpp.mtmd_log_set(llama_log._callback_ref, None)
            mtmd_cpp.mtmd_helper_log_set(llama_log._callback_ref, None)
            _log_routed = True


def projector_problem(path: Path) -> str:
    """'' when llama.cpp can safely open ``path`` as a vision projector, else why not (a sentence)."""
    from app.core.gguf.header import GGUFError, read_header_file

    try:
        header = read_header_file(path)
    except GGUFError as exc:
        return translate("EngineProjector", "it is not a usable GGUF file: {error}").format(error=exc)
    except OSError as exc:
        return translate("EngineProjector", "it could not be read: {error}").format(error=exc.strerror or exc)
    if header.architecture != "clip":
        if not header.architecture:
            return translate("EngineProjector", "it is not a projector (its architecture is missing, not clip)")
        return translate("EngineProjector", "it is not a projector (its architecture is {arch}, not clip)").format(
            arch=header.architecture)
    if header.get("clip.has_vision_encoder") is not True:
        return translate("EngineProjector", "it has no vision encoder")

    eps, embd, heads, size, patch = (header.get(f"clip.vision.{k}") for k in (
        "attention.layer_norm_epsilon", "embedding_length", "attention.head_count", "image_size", "patch_size"))
    if isinstance(eps, float) and not (math.isfinite(eps) and eps >= 0):
        return translate("EngineProjector", "its layer norm epsilon is {eps}").format(eps=eps)
    if _ints(embd, heads) and (heads < 1 or embd % heads):
        return translate("EngineProjector", "its {heads} attention heads do not divide its width {width}").format(
            heads=heads, width=embd)
    if _ints(size, patch) and not 1 <= patch <= size:
        return translate("EngineProjector", "its image size {size} and patch size {patch} do not fit together").format(
            size=size, patch=patch)
    return ""


def _ints(*values) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


_MISMATCH = re.compile(r"text model \(n_embd = (\d+)\) and mmproj \(n_embd = (\d+)\)")


class Projector:
    """An mmproj file loaded for ``llm`` (a ``llama_cpp.Llama``, which must stay open while this is)."""

    def __init__(self, llm, path, n_threads: int = 1, use_gpu: bool = False) -> None:
        import llama_cpp
        from llama_cpp import mtmd_cpp
        from app.core.engine import llama_log

        self._ctx = None
        self._open: weakref.WeakSet[Tokenized] = weakref.WeakSet()
        path = Path(path)
        self.name = path.name
        if not path.is_file():
            raise ProjectorError(translate("EngineProjector", "the projector {path} does not exist").format(
                path=str(path)))
        problem = projector_problem(path)
        if problem:
            raise ProjectorError(translate("EngineProjector", "the projector {file} cannot be used: {problem}").format(
                file=self.name, problem=problem))
        _route_logs()
        self._llm = llm
        params = mtmd_cpp.mtmd_context_params_default()
        params.use_gpu = use_gpu
        params.n_threads = n_threads
        params.print_timings = False
        with llama_log.Capture() as cap:
            ctx = mtmd_cpp.mtmd_init_from_file(str(path).encode(), llm.model, params)
        if not ctx:
            text = "\n".join(line for _, line in cap.lines)
            m = _MISMATCH.search(text)
            if m:
                raise ProjectorError(translate("EngineProjector", "the projector {file} does not fit this model: its "
                                               "output width {width} does not match the model's {model_width}")
                                     .format(file=self.name, width=m.group(2), model_width=m.group(1)))
            reasons = [e.split("error: ", 1)[-1] for e in cap.errors()]
            if reasons:
                raise ProjectorError(translate("EngineProjector", "llama.cpp could not load the projector {file}: "
                                               "{reasons}").format(file=self.name, reasons="; ".join(reasons[:2])))
            raise ProjectorError(translate("EngineProjector", "llama.cpp could not load the projector {file}").format(
                file=self.name))
        self._ctx = ctx
        self._finalize = weakref.finalize(self, mtmd_cpp.mtmd_free, ctx)
        self._n_vocab = llama_cpp.llama_vocab_n_tokens(llama_cpp.llama_model_get_vocab(llm.model))
        self.marker: str = (mtmd_cpp.mtmd_get_marker(ctx) or mtmd_cpp.mtmd_default_marker()).decode()
        self.supports_vision = bool(mtmd_cpp.mtmd_support_vision(ctx))

    def _live(self):
        if self._ctx is None:
            raise ProjectorError("the projector is closed")
        return self._ctx

    def tokenize(self, prompt: str, images: list, add_special: bool = False,
                 parse_special: bool = True) -> Tokenized:
        """Split ``prompt`` at each ``marker`` (one per image, in order) into chunks; close the result when done.
        An image is an ``Image`` (RGB pixels) or an object with ``data`` (PNG/JPEG bytes), ``width``, ``height``
        and ``id`` (``app.core.engine.images.EncodedImage``)."""
        from llama_cpp import mtmd_cpp

        ctx = self._live()
        n_markers = prompt.count(self.marker)
        if n_markers != len(images):
            raise ProjectorError(translate("EngineProjector", "the prompt has {markers} image markers for {images} "
                                           "images").format(markers=n_markers, images=len(images)))
        bitmaps = []
        handle = mtmd_cpp.mtmd_input_chunks_init()
        try:
            for img in images:
                if isinstance(img, Image):
                    buf = (ctypes.c_ubyte * len(img.rgb)).from_buffer_copy(img.rgb)
                    bm = mtmd_cpp.mtmd_bitmap_init(img.width, img.height, buf)
                else:  # PNG or JPEG bytes (app/core/engine/images.py checked their header): stb_image decodes
                    buf = (ctypes.c_uint8 * len(img.data)).from_buffer_copy(img.data)
                    bm = mtmd_cpp.mtmd_helper_bitmap_init_from_buf(ctx, buf, len(img.data), False)
                if not bm:
                    raise ProjectorError(translate("EngineProjector", "llama.cpp could not decode an image of "
                                                   "{width}x{height}").format(width=img.width, height=img.height))
                bitmaps.append(bm)
                mtmd_cpp.mtmd_bitmap_set_id(bm, img.id.encode())
            data = prompt.encode("utf-8")
            text = mtmd_cpp.mtmd_input_text(data, len(data), add_special, parse_special)
            arr = (mtmd_cpp.mtmd_bitmap_p_ctypes * max(1, len(bitmaps)))(*bitmaps)
            rc = mtmd_cpp.mtmd_tokenize(ctx, handle, ctypes.byref(text), arr, len(bitmaps))
            if rc != 0:
                if rc == 1:
                    why = translate("EngineProjector", "the image markers and images do not pair up")
                elif rc == 2:
                    why = translate("EngineProjector", "an image could not be preprocessed")
                else:
                    why = translate("EngineProjector", "error {rc}").format(rc=rc)
                raise ProjectorError(translate("EngineProjector", "llama.cpp could not tokenize the prompt: {why}")
                                     .format(why=why))
            chunks = [self._chunk(mtmd_cpp.mtmd_input_chunks_get(handle, i))
                      for i in range(mtmd_cpp.mtmd_input_chunks_size(handle))]
        except BaseException:
            mtmd_cpp.mtmd_input_chunks_free(handle)
            raise
        finally:
            for bm in bitmaps:  # the chunks hold the preprocessed pixels, not the bitmaps
                mtmd_cpp.mtmd_bitmap_free(bm)
        out = Tokenized(self, handle, chunks)
        for c in chunks:
            c._owner = out
        self._open.add(out)
        return out

    def _chunk(self, ptr: int) -> Chunk:
        from llama_cpp import mtmd_cpp

        kind = mtmd_cpp.mtmd_input_chunk_get_type(ptr)
        n_tokens = mtmd_cpp.mtmd_input_chunk_get_n_tokens(ptr)
        n_pos = mtmd_cpp.mtmd_input_chunk_get_n_pos(ptr)
        if kind == mtmd_cpp.MTMD_INPUT_CHUNK_TYPE_TEXT:
            n = ctypes.c_size_t(0)
            toks = mtmd_cpp.mtmd_input_chunk_get_tokens_text(ptr, ctypes.byref(n))
            tokens = [toks[i] for i in range(n.value)]
            if any(not 0 <= t < self._n_vocab for t in tokens):
                raise ProjectorError(translate("EngineProjector", "the projector {file} was made for another text "
                                               "model: it needs special tokens this model's vocabulary lacks")
                                     .format(file=self.name))
            return Chunk("text", n_tokens, n_pos, tokens=tokens, _ptr=ptr)
        if kind != mtmd_cpp.MTMD_INPUT_CHUNK_TYPE_IMAGE:
            raise ProjectorError(translate("EngineProjector", "the projector gave a chunk that is neither text nor "
                                           "image (audio?)"))
        image_id = (mtmd_cpp.mtmd_input_chunk_get_id(ptr) or b"").decode()
        non_causal = bool(mtmd_cpp.mtmd_decode_use_non_causal(self._ctx, ptr))
        return Chunk("image", n_tokens, n_pos, image_id=image_id, non_causal=non_causal, _ptr=ptr)

    def eval_chunk(self, chunk: Chunk, n_past: int, n_batch: int | None = None, logits_last: bool = False) -> int:
        """Decode ``chunk`` at position ``n_past`` (sequence 0) and return the new position.

        Text chunks too. With ``logits_last`` the last token's logits are kept (``llama_get_logits_ith(ctx, -1)``)."""
        import llama_cpp
        from llama_cpp import mtmd_cpp

        ctx = self._live()
        if chunk._owner is None or chunk._owner.closed or chunk._owner._projector is not self:
            raise ProjectorError("that chunk is closed or belongs to another projector")
        lctx = self._llm._ctx.ctx
        n_ctx = llama_cpp.llama_n_ctx(lctx)
        if n_past < 0 or n_past + chunk.n_pos > n_ctx:
            raise ProjectorError(translate("EngineProjector", "the chunk ({n_pos} positions from {n_past}) does not "
                                           "fit the context of {n_ctx}").format(n_pos=chunk.n_pos, n_past=n_past,
                                                                                 n_ctx=n_ctx))
        new_n_past = llama_cpp.llama_pos(n_past)  # the helper adds a text chunk's tokens to it, sets it for images
        rc = mtmd_cpp.mtmd_helper_eval_chunk_single(ctx, lctx, chunk._ptr, n_past, 0,
                                                    n_batch or self._llm.n_batch, logits_last,
                                                    ctypes.byref(new_n_past))
        if rc != 0:
            if chunk.kind == "image":
                raise ProjectorError(translate("EngineProjector", "llama.cpp could not evaluate the image chunk (error "
                                               "{rc})").format(rc=rc))
            raise ProjectorError(translate("EngineProjector", "llama.cpp could not evaluate the text chunk (error "
                                           "{rc})").format(rc=rc))
        return new_n_past.value

    def close(self) -> None:
        """Free every open ``Tokenized`` of this projector, then the mtmd context. Idempotent."""
        for t in list(self._open):
            t.close()
        if self._ctx is not None:
            self._ctx = None
            self._finalize()
        self._llm = None

    def __enter__(self) -> "Projector":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
