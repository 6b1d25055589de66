"""OpenAI's request and response shapes: checking what a client sent, and answering in the form its library reads.

Every refusal is an ``ApiError`` carrying the HTTP status and OpenAI's error body (``{"error": {"message",
"type", "param", "code"}}``). Parsing turns a checked body into the engine's own vocabulary (``Sampling`` and
``GenerationRequest`` fields), nothing more: which model, the queue and streaming are the server's business.
"""
from __future__ import annotations

import base64
import json
import math
import struct
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

ROLES = {"system", "developer", "user", "assistant", "tool"}
MAX_STOPS = 16


class ApiError(Exception):
    def __init__(self, status: int, message: str, type_: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.param = param
        self.code = code
        self.headers = headers or {}

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def bad(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, message, param=param, code=code)


# ---- checking ---------------------------------------------------------------------------------------------
def _number(body: dict, name: str, lo: float, hi: float, default: float | None = None) -> float | None:
    v = body.get(name, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
        raise bad(f"'{name}' must be a number from {lo:g} to {hi:g} (got {v!r})", name)
    return float(v)


def _integer(body: dict, name: str, lo: int, hi: int, default: int | None = None) -> int | None:
    v = body.get(name, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise bad(f"'{name}' must be a whole number from {lo} to {hi} (got {v!r})", name)
    return v


def _stops(body: dict) -> list[str]:
    stop = body.get("stop")
    if stop is None:
        return []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop) or len(stop) > MAX_STOPS:
        raise bad(f"'stop' must be a string or a list of at most {MAX_STOPS} strings", "stop")
    return [s for s in stop if s]


def _text_of(content: Any, where: str) -> str:
    """A message's text: a string, or a list of parts of which only text is read here (images need a vision
    model; an image given by address is never fetched on a client's behalf)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise bad(f"{where}.content must be a string or a list of parts", where)
    out = []
    for part in content:
        if not isinstance(part, dict):
            raise bad(f"{where}.content parts must be objects", where)
        kind = part.get("type")
        if kind == "text":
            if not isinstance(part.get("text"), str):
                raise bad(f"{where}: a text part needs a 'text' string", where)
            out.append(part["text"])
        elif kind == "image_url":
            url = (part.get("image_url") or {}).get("url", "") if isinstance(part.get("image_url"), dict) else ""
            if not isinstance(url, str) or not url.startswith("data:"):
                raise bad("images must be sent inline as data: URLs; Hearth never fetches an address for a client",
                          where, "image_url_not_allowed")
            raise bad("the loaded model cannot read images", where, "images_not_supported")
        else:
            raise bad(f"{where}: unknown content part type {kind!r}", where)
    return "".join(out)


def _messages(body: dict) -> list[dict]:
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise bad("'messages' must be a non-empty list", "messages")
    out = []
    for i, m in enumerate(msgs):
        where = f"messages[{i}]"
        if not isinstance(m, dict):
            raise bad(f"{where} must be an object", where)
        role = m.get("role")
        if role not in ROLES:
            raise bad(f"{where}.role must be one of {', '.join(sorted(ROLES))} (got {role!r})", where)
        msg: dict[str, Any] = {"role": "system" if role == "developer" else role,
                               "content": _text_of(m.get("content"), where)}
        if role == "assistant" and m.get("tool_calls") is not None:
            calls = m["tool_calls"]
            if not isinstance(calls, list):
                raise bad(f"{where}.tool_calls must be a list", where)
            msg["tool_calls"] = [_tool_call_in(c, f"{where}.tool_calls[{k}]") for k, c in enumerate(calls)]
        if role == "tool":
            msg["tool_call_id"] = str(m.get("tool_call_id") or "")
            if m.get("name"):
                msg["name"] = str(m["name"])
        out.append(msg)
    return out


def _tool_call_in(c: Any, where: str) -> dict:
    fn = c.get("function") if isinstance(c, dict) else None
    if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
        raise bad(f"{where} must be {{'type': 'function', 'function': {{'name', 'arguments'}}}}", where)
    args = fn.get("arguments", "{}")
    return {"id": str(c.get("id") or ""), "name": fn["name"],
            "arguments": args if isinstance(args, str) else json.dumps(args)}


def _tools(body: dict) -> tuple[list[dict] | None, Any]:
    tools = body.get("tools")
    choice = body.get("tool_choice")
    if tools is None:
        if choice not in (None, "none", "auto"):
            raise bad("'tool_choice' needs 'tools'", "tool_choice")
        return None, None
    if not isinstance(tools, list):
        raise bad("'tools' must be a list", "tools")
    names = set()
    for i, t in enumerate(tools):
        fn = t.get("function") if isinstance(t, dict) and t.get("type", "function") == "function" else None
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn["name"]:
            raise bad(f"tools[{i}] must be {{'type': 'function', 'function': {{'name', 'parameters'}}}}", "tools")
        if fn.get("parameters") is not None and not isinstance(fn["parameters"], dict):
            raise bad(f"tools[{i}].function.parameters must be a JSON schema object", "tools")
        names.add(fn["name"])
    if choice is not None and choice not in ("none", "auto", "required"):
        named = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
        if named not in names:
            raise bad("'tool_choice' must be 'none', 'auto', 'required' or name one of the tools", "tool_choice")
    return tools, choice


def _response_format(body: dict) -> dict | None:
    rf = body.get("response_format")
    if rf is None:
        return None
    kind = rf.get("type") if isinstance(rf, dict) else None
    if kind == "text":
        return None
    if kind == "json_object":
        return {}
    if kind == "json_schema":
        js = rf.get("json_schema")
        schema = js.get("schema") if isinstance(js, dict) else None
        if not isinstance(schema, dict):
            raise bad("response_format.json_schema.schema must be a JSON schema object", "response_format")
        return schema
    raise bad("response_format.type must be 'text', 'json_object' or 'json_schema'", "response_format")


@dataclass
class Call:
    """A checked request, in the engine's terms."""

    kind: str  # chat | completion
    model: str
    stream: bool
    include_usage: bool
    sampling: dict[str, Any]
    messages: list[dict] = field(default_factory=list)
    prompt: str | None = None
    stop: list[str] = field(default_factory=list)
    tools: list[dict] | None = None
    tool_choice: Any = None
    parallel_tool_calls: bool = False  # one call per reply unless asked (small models otherwise repeat calls)


def _model(body: dict) -> str:
    m = body.get("model")
    if not isinstance(m, str) or not m.strip():
        raise bad("'model' must name a model (GET /v1/models lists them)", "model")
    return m.strip()


def _common(body: dict, kind: str) -> Call:
    if body.get("n", 1) != 1:
        raise bad("only n=1 is supported", "n")
    if body.get("logprobs") or body.get("top_logprobs"):
        raise bad("logprobs are not supported", "logprobs")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise bad("'stream' must be true or false", "stream")
    opts = body.get("stream_options") or {}
    if not isinstance(opts, dict):
        raise bad("'stream_options' must be an object", "stream_options")
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1):
        raise bad(f"'max_tokens' must be a whole number of at least 1 (got {max_tokens!r})", "max_tokens")
    seed = _integer(body, "seed", -(2**63), 2**63 - 1)
    sampling = {
        "temperature": _number(body, "temperature", 0, 2, 1.0 if kind == "chat" else 1.0),
        "top_p": _number(body, "top_p", 0, 1, 1.0),
        "top_k": _integer(body, "top_k", 0, 1_000_000, 0),
        "min_p": _number(body, "min_p", 0, 1, 0.0),
        "repeat_penalty": _number(body, "repeat_penalty", 0.01, 10, 1.0),
        "presence_penalty": _number(body, "presence_penalty", -2, 2, 0.0),
        "frequency_penalty": _number(body, "frequency_penalty", -2, 2, 0.0),
        "seed": (seed & 0x7FFFFFFF) if seed is not None else -1,
        "max_tokens": max_tokens or 0,  # 0: as long as the context allows
    }
    return Call(kind, _model(body), stream, bool(opts.get("include_usage")), sampling, stop=_stops(body))


def parse_chat(body: dict) -> Call:
    call = _common(body, "chat")
    call.messages = _messages(body)
    call.tools, call.tool_choice = _tools(body)
    call.parallel_tool_calls = body.get("parallel_tool_calls") is True
    schema = _response_format(body)
    if schema is not None:
        call.sampling["json_schema"] = schema
    return call


def parse_completion(body: dict) -> Call:
    call = _common(body, "completion")
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise bad("'prompt' must be a string (token arrays and several prompts are not supported)", "prompt")
    if body.get("suffix") or body.get("echo"):
        raise bad("'suffix' and 'echo' are not supported", "suffix" if body.get("suffix") else "echo")
    call.prompt = prompt
    return call


def parse_embeddings(body: dict) -> tuple[str, list[str], str]:
    model = _model(body)
    inp = body.get("input")
    if isinstance(inp, str):
        inp = [inp]
    if not isinstance(inp, list) or not inp or not all(isinstance(s, str) for s in inp):
        raise bad("'input' must be a string or a non-empty list of strings", "input")
    if len(inp) > 256:
        raise bad("at most 256 inputs per request", "input")
    fmt = body.get("encoding_format", "float")
    if fmt not in ("float", "base64"):
        raise bad("'encoding_format' must be 'float' or 'base64'", "encoding_format")
    return model, inp, fmt


# ---- answering --------------------------------------------------------------------------------------------
FINISH = {"end": "stop", "stopped": "stop", "length": "length", "context_full": "length"}


def new_id(kind: str) -> str:
    return f"{'chatcmpl' if kind == 'chat' else 'cmpl'}-{uuid.uuid4().hex[:24]}"


def usage(stats) -> dict:
    return {"prompt_tokens": stats.prompt_tokens, "completion_tokens": stats.completion_tokens,
            "total_tokens": stats.prompt_tokens + stats.completion_tokens}


def finish_reason(stats) -> str:
    if getattr(stats, "tool_calls", None):
        return "tool_calls"
    return FINISH.get(stats.stop_reason, "stop")


def tool_calls_out(stats, with_index: bool = False) -> list[dict]:
    out = []
    for i, c in enumerate(getattr(stats, "tool_calls", None) or []):
        item = {"id": c.get("id") or f"call_{uuid.uuid4().hex[:16]}", "type": "function",
                "function": {"name": c["name"], "arguments": c.get("arguments", "{}")}}
        if with_index:
            item["index"] = i
        out.append(item)
    return out


def completion_body(call: Call, rid: str, created: int, text: str, stats) -> dict:
    if call.kind == "chat":
        message: dict[str, Any] = {"role": "assistant", "content": text}
        calls = tool_calls_out(stats)
        if calls:
            message["content"] = text or None
            message["tool_calls"] = calls
        choice = {"index": 0, "message": message, "finish_reason": finish_reason(stats), "logprobs": None}
        obj = "chat.completion"
    else:
        choice = {"index": 0, "text": text, "finish_reason": finish_reason(stats), "logprobs": None}
        obj = "text_completion"
    return {"id": rid, "object": obj, "created": created, "model": call.model, "choices": [choice],
            "usage": usage(stats), "system_fingerprint": "hearth"}


def chunk(call: Call, rid: str, created: int, delta: dict | None = None, text: str | None = None,
          finish: str | None = None, usage_of=None) -> dict:
    if call.kind == "chat":
        choices = [] if usage_of is not None else [{"index": 0, "delta": delta or {}, "finish_reason": finish,
                                                     "logprobs": None}]
        body = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": call.model,
                "choices": choices, "system_fingerprint": "hearth"}
    else:
        choices = [] if usage_of is not None else [{"index": 0, "text": text or "", "finish_reason": finish,
                                                     "logprobs": None}]
        body = {"id": rid, "object": "text_completion", "created": created, "model": call.model,
                "choices": choices}
    if usage_of is not None:
        body["usage"] = usage(usage_of)
    elif call.include_usage:
        body["usage"] = None
    return body


def embeddings_body(model: str, vectors: list[list[float]], fmt: str, n_tokens: int) -> dict:
    def encode(v: list[float]):
        if fmt == "base64":
            return base64.b64encode(struct.pack(f"<{len(v)}f", *v)).decode("ascii")
        return v

    return {"object": "list", "model": model,
            "data": [{"object": "embedding", "index": i, "embedding": encode(v)} for i, v in enumerate(vectors)],
            "usage": {"prompt_tokens": n_tokens, "total_tokens": n_tokens}}


def models_body(model_ids: list[str], n_ctx: int = 0) -> dict:
    """``context_length``: the loaded context (another Hearth's Backends list shows it and fits to it)."""
    now = int(time.time())
    extra = {"context_length": n_ctx} if n_ctx else {}
    return {"object": "list", "data": [{"id": m, "object": "model", "created": now, "owned_by": "hearth", **extra}
                                       for m in model_ids]}


def parse_tokenize(body: Any) -> tuple[str, list[dict] | None, str]:
    """(model, messages or None, prompt) of a ``/tokenize`` request."""
    if not isinstance(body, dict):
        raise bad("the body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise bad("'model' must name a model (GET /v1/models lists them)", "model")
    if "messages" in body:
        return model, _messages(body), ""
    prompt = body.get("prompt")
    if not isinstance(prompt, str):
        raise bad("give 'messages' (a chat) or 'prompt' (a text)", "prompt")
    return model, None, prompt
