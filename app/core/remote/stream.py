"""Reading a reply as a server streams it: OpenAI's Server-Sent Events (``data: {chunk}`` lines, ``data: [DONE]``)
and Ollama's NDJSON (one JSON object per line, the last with ``"done": true``). Lines that are not what they
should be are counted and skipped, never fatal on their own; an error object in the stream is raised in words."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from app.core.i18n import translate
from app.core.remote.errors import RemoteError, server_message


@dataclass
class Piece:
    text: str = ""
    done: bool = False  # the server said the reply is complete
    finish_reason: str = ""
    usage: dict = field(default_factory=dict)  # prompt_tokens / completion_tokens when the server says


@dataclass
class StreamReader:
    where: str
    malformed: int = 0  # lines skipped because they were not JSON, or not a chunk

    def _object(self, text: str) -> dict | None:
        """One line's JSON object; None for an empty line, and for one that is not an object (counted). A server's
        error object is raised in words."""
        if not text:
            return None
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            self.malformed += 1
            return None
        if "error" in obj:
            raise RemoteError(translate("RemoteStream", "{where} stopped the reply with an error: {error}"
                                        ).format(where=self.where, error=server_message(text)), "http")
        return obj

    def sse(self, lines: Iterable[str]) -> Iterator[Piece]:
        for line in lines:
            if not line.startswith("data:"):
                continue  # blank separators, ": comments", "event:", "id:", "retry:"
            payload = line[5:].strip()
            if payload == "[DONE]":
                yield Piece(done=True)
                return
            obj = self._object(payload)
            if obj is None:
                continue
            p = Piece(usage=obj["usage"] if isinstance(obj.get("usage"), dict) else {})
            choices = obj.get("choices")
            if isinstance(choices, list) and choices and isinstance(choices[0], dict):
                c = choices[0]
                delta = c.get("delta") if isinstance(c.get("delta"), dict) else {}
                content = delta.get("content")
                if isinstance(content, str):
                    p.text = content
                elif isinstance(c.get("text"), str):  # a completions chunk
                    p.text = c["text"]
                if isinstance(c.get("finish_reason"), str):
                    p.finish_reason = c["finish_reason"]
            elif choices is None and not p.usage:
                self.malformed += 1
                continue
            yield p

    def ndjson(self, lines: Iterable[str]) -> Iterator[Piece]:
        for line in lines:
            obj = self._object(line.strip())
            if obj is None:
                continue
            msg = obj.get("message") if isinstance(obj.get("message"), dict) else {}
            p = Piece(text=msg.get("content") if isinstance(msg.get("content"), str) else "")
            if obj.get("done") is True:
                p.done = True
                p.finish_reason = str(obj.get("done_reason") or "stop")
                p.usage = {k: obj[k] for k in ("prompt_eval_count", "eval_count") if isinstance(obj.get(k), int)}
            yield p
            if p.done:
                return


def whole_reply(data: dict) -> Piece:
    """A server that ignored ``stream`` and answered with one chat.completion (or Ollama's one object)."""
    p = Piece(done=True, usage=data.get("usage") if isinstance(data.get("usage"), dict) else {})
    choices = data.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        msg = choices[0].get("message") if isinstance(choices[0].get("message"), dict) else {}
        p.text = msg.get("content") if isinstance(msg.get("content"), str) else ""
        p.finish_reason = str(choices[0].get("finish_reason") or "stop")
    elif isinstance(data.get("message"), dict):
        p.text = str(data["message"].get("content") or "")
        p.finish_reason = str(data.get("done_reason") or "stop")
    return p
