"""Prompts with images: the chat template rendered with a media marker where each image goes, split by libmtmd
(``mtmd.py``) into text and image chunks, and a token list that stands for them so the KV cache prefix is kept
across turns.

An image's positions in that list are pseudo tokens (negative ids derived from the image's hash and position), so
the engine's ordinary prefix match works: the next turn of a conversation shares the text and the same pictures up
to its new message, and only the rest is evaluated (llama-cpp-python's generic handler clears the cache and encodes
every image again each turn; measured in benchmarks/vision_turns.py). A prefix that ends inside an image is cut
back to the image's start: an image is evaluated whole or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.core.engine import images as image_data
from app.core.engine.generation import EngineError
from app.core.i18n import QT_TRANSLATE_NOOP, translate

# shown as translate("EngineVision", NO_VISION)
NO_VISION = QT_TRANSLATE_NOOP("EngineVision", "This model cannot see images: it has no vision projector. Load it "
                              "with its projector (mmproj), or remove the image.")


@dataclass
class Segment:
    kind: str  # "text" or "image"
    start: int  # position in the prompt's token list
    end: int
    chunk: object = None  # the mtmd Chunk


@dataclass
class VisionPrepared:
    tokens: list[int]  # text tokens and the images' pseudo tokens, one per position
    segments: list[Segment] = field(default_factory=list)
    holder: object = None  # the mtmd Tokenized: close it when the reply is done


def pseudo_ids(image_id: str, n: int) -> list[int]:
    base = int((image_id or "0")[:8], 16)
    return [-(1 + (base + i) % (2**30)) for i in range(n)]


def with_markers(messages: list[dict], marker: str) -> list[dict]:
    """The messages with one marker line per image before the text (the images themselves left out)."""
    out = []
    for m in messages:
        imgs = m.get("images") or []
        m = {k: v for k, v in m.items() if k != "images"}
        if imgs:
            m["content"] = "".join(marker + "\n" for _ in imgs) + str(m.get("content") or "")
        out.append(m)
    return out


def has_images(messages: list[dict]) -> bool:
    return any(isinstance(m, dict) and m.get("images") for m in messages)


class VisionPrompts:
    """Tokenizes prompts with images for one loaded model and its projector."""

    def __init__(self, llm, projector) -> None:
        self.llm = llm
        self.projector = projector
        self._cost: dict[str, int] = {}  # image id -> positions it takes (with the text libmtmd puts around it)

    def images(self, messages: list[dict]):
        flat = [img for per in image_data.images_of(messages) for img in per]
        if flat and self.projector is None:
            raise EngineError(translate("EngineVision", NO_VISION))
        return flat

    def cost(self, img) -> int:
        if img.id not in self._cost:
            from app.core.engine.mtmd import ProjectorError

            try:
                with self.projector.tokenize(self.projector.marker, [img], add_special=False) as t:
                    self._cost[img.id] = sum(c.n_pos for c in t)
            except ProjectorError as exc:
                raise EngineError(translate("EngineVision", "The image could not be read by the vision projector: "
                                            "{error}").format(error=exc)) from exc
        return self._cost[img.id]

    def count(self, prompt: str, imgs: list, add_bos: bool) -> int:
        """The prompt's length without tokenizing its images (cached per image): fitting a conversation counts
        many times."""
        text = prompt.replace(self.projector.marker, "")
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)) + \
            sum(self.cost(i) for i in imgs)

    def prepare(self, prompt: str, imgs: list, add_bos: bool) -> VisionPrepared:
        from app.core.engine.mtmd import ProjectorError

        try:
            holder = self.projector.tokenize(prompt, imgs, add_special=add_bos, parse_special=True)
        except ProjectorError as exc:
            raise EngineError(translate("EngineVision", "The prompt with images could not be prepared: {error}")
                              .format(error=exc)) from exc
        tokens: list[int] = []
        segments: list[Segment] = []
        for c in holder:
            start = len(tokens)
            if c.kind == "text":
                tokens.extend(c.tokens)
            else:
                tokens.extend(pseudo_ids(c.image_id or "", c.n_pos))
            segments.append(Segment(c.kind, start, len(tokens), c))
        if not segments or segments[-1].kind != "text":
            holder.close()
            raise EngineError(translate("EngineVision", "The chat template put an image at the very end of the "
                                        "prompt."))
        return VisionPrepared(tokens, segments, holder)
