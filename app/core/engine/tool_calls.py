"""Tool calling (OpenAI's ``tools`` and ``tool_choice``) for every model, whether its chat template knows tools.

Two ways, chosen per request by :func:`plan`:

- **template** (the model's own Jinja template renders ``tools``, and ``tool_choice`` is ``"auto"``): the tools go
  to the template, the reply is generated whole, and a call in a format recognised here becomes a tool call
  (``<tool_call>{...}</tool_call>`` as Hermes/Qwen write it, ``[TOOL_CALLS][...]`` as Mistral does,
  ``<|python_tag|>`` or a bare ``{"name": ..., "arguments"|"parameters": ...}`` as Llama 3.x does, always naming
  one of the request's tools); anything else is the reply's text.
- **grammar** (every other template, and ``"required"`` or a named function on any model): a system message lists
  the tools, and a grammar (from the tools' parameter schemas) makes the reply either
  ``{"tool_calls": [{"name": ..., "arguments": {...}}]}`` or ``{"content": "..."}`` (only calls when required;
  only that function when named; one call unless ``parallel_tool_calls``). The content is passed on as it is
  decoded (:class:`GrammarReply`). In ``auto`` mode a reply that only repeats calls whose results the conversation
  already has (small models do, instead of answering) is made again as an answer.

Earlier calls and their results are written as text the model can read (``Called get_weather({...})``,
``Result of get_weather: ...``) unless the template renders them itself. Calls come back as
``{"id": "call_<hex>", "name": ..., "arguments": "<JSON text>"}``, as OpenAI sends them.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field

from app.core.engine.generation import EngineError

OFF, TEMPLATE, GRAMMAR = "off", "template", "grammar"
MESSAGE_KEYS = ("role", "content", "tool_calls", "tool_call_id", "name", "id", "images")


@dataclass
class Tool:
    name: str
    description: str = ""
    parameters: dict = field(default_factory=dict)


@dataclass
class ToolPlan:
    mode: str  # off | template | grammar
    messages: list[dict]  # what the chat template gets
    template_tools: list[dict] | None = None  # passed to the template (mode template)
    grammar: str = ""  # mode grammar
    names: list[str] = field(default_factory=list)
    answered: set[tuple[str, str]] = field(default_factory=set)  # (name, arguments) called since the user spoke

    def repeats(self, calls: list[dict]) -> bool:
        """Whether ``calls`` only repeat calls whose results the conversation already has (in ``auto`` mode a
        small model often calls again instead of answering; the reply is then made again as an answer)."""
        return bool(calls) and all((c["name"], canonical(c["arguments"])) in self.answered for c in calls)


def new_call_id() -> str:
    return "call_" + secrets.token_hex(12)


def read_tools(tools: list[dict] | None) -> list[Tool]:
    """The request's tools, checked: OpenAI's ``{"type": "function", "function": {...}}`` (a bare function
    object is accepted too)."""
    out: list[Tool] = []
    for t in tools or []:
        fn = t.get("function", t) if isinstance(t, dict) else None
        if not isinstance(fn, dict) or (isinstance(t, dict) and t.get("type", "function") != "function"):
            raise EngineError(f"A tool must be {{'type': 'function', 'function': {{'name': ...}}}}, not {t!r:.80}.")
        name = fn.get("name")
        if not isinstance(name, str) or not name:
            raise EngineError("Every tool needs a function name.")
        params = fn.get("parameters") or {}
        if not isinstance(params, dict):
            raise EngineError(f"The parameters of tool {name!r} must be a JSON schema object.")
        out.append(Tool(name, str(fn.get("description") or ""), params))
    if len({t.name for t in out}) != len(out):
        raise EngineError("Two tools have the same name.")
    return out


def read_choice(tool_choice, names: list[str]) -> tuple[str, str | None]:
    """(``auto`` | ``none`` | ``required``, the one function named or None)."""
    if tool_choice is None or tool_choice == "auto":
        return "auto", None
    if tool_choice in ("none", "required"):
        return tool_choice, None
    if isinstance(tool_choice, dict):
        name = (tool_choice.get("function") or {}).get("name") if isinstance(tool_choice.get("function"), dict) \
            else tool_choice.get("name")
        if name in names:
            return "required", name
        raise EngineError(f"tool_choice names {name!r}, which is not one of the tools.")
    raise EngineError(f"tool_choice must be 'auto', 'none', 'required' or a function, not {tool_choice!r:.80}.")


def plan(messages: list[dict], tools: list[dict] | None, tool_choice, template_knows_tools: bool,
         parallel: bool = False) -> ToolPlan:
    """How to run a chat request with these tools (see the module's docstring)."""
    parsed = read_tools(tools)
    names = [t.name for t in parsed]
    choice, only = read_choice(tool_choice, names) if parsed else ("none", None)
    if template_knows_tools and choice == "auto":
        return ToolPlan(TEMPLATE, template_messages(messages), template_tools=list(tools or []), names=names)
    if template_knows_tools and choice == "none":  # the template renders earlier calls and results itself
        return ToolPlan(OFF, template_messages(messages))
    text = text_messages(messages)
    if choice == "none":
        return ToolPlan(OFF, text)
    chosen = [t for t in parsed if only is None or t.name == only]
    return ToolPlan(GRAMMAR, with_tools_prompt(text, parsed, choice == "required", only),
                    grammar=tools_grammar(chosen, choice == "required", parallel), names=names,
                    answered=answered_calls(messages) if choice == "auto" else set())


def canonical(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments), sort_keys=True)
    except ValueError:
        return arguments


def answered_calls(messages: list[dict]) -> set[tuple[str, str]]:
    """(name, canonical arguments) of the calls made since the last user message."""
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    out = set()
    for m in messages[users[-1] + 1 if users else 0:]:
        if m.get("role") == "assistant":
            for call in m.get("tool_calls") or []:
                _, name, args = _call_parts(call)
                out.add((name, canonical(args)))
    return out


# ---- messages ----------------------------------------------------------------------------------------------
def content_text(content) -> str:
    """A message's content as text (OpenAI's content parts joined; None is empty)."""
    if content is None:
        return ""
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return str(content)


def _call_parts(call: dict) -> tuple[str, str, str]:
    """(id, name, arguments as JSON text) of an OpenAI tool call (or a bare {"name", "arguments"})."""
    fn = call.get("function", call) if isinstance(call, dict) else {}
    args = fn.get("arguments", {})
    if not isinstance(args, str):
        args = json.dumps(args, ensure_ascii=False)
    return str(call.get("id", "")) if isinstance(call, dict) else "", str(fn.get("name", "")), args


def text_messages(messages: list[dict]) -> list[dict]:
    """The conversation with tool calls and results as plain text: an assistant's calls as ``Called name({...})``
    after its text, results (consecutive ones together) as a user message ``Result of name: ...``."""
    out: list[dict] = []
    names: dict[str, str] = {}
    for m in messages:
        role = m["role"]  # a message without a role is a malformed request, as before tools
        kept = {k: m[k] for k in ("id", "images") if k in m}
        if role == "assistant" and m.get("tool_calls"):
            lines = [content_text(m.get("content"))] if content_text(m.get("content")).strip() else []
            for call in m["tool_calls"]:
                cid, name, args = _call_parts(call)
                names[cid] = name
                lines.append(f"Called {name}({args})")
            out.append({**kept, "role": "assistant", "content": "\n".join(lines)})
        elif role in ("tool", "function"):
            name = m.get("name") or names.get(str(m.get("tool_call_id", ""))) or "the tool"
            line = f"Result of {name}: {content_text(m.get('content'))}"
            if out and out[-1].get("_results"):
                out[-1]["content"] += "\n\n" + line
            else:
                out.append({**kept, "role": "user", "content": line, "_results": True})
        else:
            out.append({**kept, "role": role, "content": content_text(m.get("content"))})
    for m in out:
        m.pop("_results", None)
    return out


def template_messages(messages: list[dict]) -> list[dict]:
    """The conversation for a template that renders tools itself: text content, calls' arguments as objects (as
    Hugging Face's templates expect them)."""
    out = []
    for m in messages:
        msg = {k: m[k] for k in MESSAGE_KEYS if k in m}
        msg["role"] = m["role"]
        msg["content"] = content_text(m.get("content"))
        if m.get("tool_calls"):
            calls = []
            for call in m["tool_calls"]:
                cid, name, args = _call_parts(call)
                try:
                    parsed = json.loads(args)
                except ValueError:
                    parsed = args
                calls.append({"id": cid, "type": "function", "function": {"name": name, "arguments": parsed}})
            msg["tool_calls"] = calls
        out.append(msg)
    return out


def tools_prompt(tools: list[Tool], required: bool, only: str | None) -> str:
    lines = ["You can call these functions:"]
    for t in tools:
        desc = f": {t.description}" if t.description else ""
        lines.append(f"- {t.name}{desc}. Arguments (JSON schema): {json.dumps(t.parameters or {'type': 'object'})}")
    # no placeholders a small model could copy ("<your answer>" came back word for word from SmolLM2)
    lines.append('Reply with one JSON object: {"tool_calls": [{"name": ..., "arguments": {...}}]} to call '
                 'functions, or {"content": "..."} to answer the user in text.')
    if only:
        lines.append(f"Call the function {only} now.")
    elif required:
        lines.append("Call a function now.")
    else:
        lines.append("Call a function when it helps; once you have its result, answer the user with content.")
    return "\n".join(lines)


def with_tools_prompt(messages: list[dict], tools: list[Tool], required: bool, only: str | None) -> list[dict]:
    """``messages`` with the tools' description in the system message (added first when there is none)."""
    text = tools_prompt(tools, required, only)
    if messages and messages[0].get("role") == "system":
        first = dict(messages[0])
        first["content"] = (first["content"] + "\n\n" + text) if first["content"].strip() else text
        return [first] + messages[1:]
    return [{"role": "system", "content": text}] + messages


# ---- the grammar -------------------------------------------------------------------------------------------
ANSWER_SCHEMA = {"type": "object", "properties": {"content": {"type": "string"}}, "required": ["content"]}


def tools_schema(tools: list[Tool], required: bool, parallel: bool = False) -> dict:
    """The JSON schema of a reply: one call (several when ``parallel``) of these tools, each with its arguments'
    schema, or (unless ``required``) a text answer. ``$defs``/``definitions`` of the tools' schemas move to the top,
    where their ``#/...`` references point once the schema is nested here."""
    defs: dict[str, dict] = {}
    variants = []
    for t in tools:
        params = dict(t.parameters or {})
        for key in ("$defs", "definitions"):
            if isinstance(params.get(key), dict):
                defs.setdefault(key, {}).update(params.pop(key))
        variants.append({"type": "object", "properties": {"name": {"const": t.name}, "arguments": params or
                                                           {"type": "object"}}, "required": ["name", "arguments"]})
    call = variants[0] if len(variants) == 1 else {"oneOf": variants}
    array = {"type": "array", "items": call, "minItems": 1, **({} if parallel else {"maxItems": 1})}
    calls = {"type": "object", "properties": {"tool_calls": array}, "required": ["tool_calls"]}
    schema = calls if required else {"oneOf": [calls, ANSWER_SCHEMA]}
    return {**defs, **schema}


def answer_grammar() -> str:
    """A text answer only: ``{"content": "..."}``."""
    from app.core.engine.grammar import schema_grammar

    return schema_grammar(ANSWER_SCHEMA)


def tools_grammar(tools: list[Tool], required: bool, parallel: bool = False) -> str:
    from app.core.engine.grammar import schema_grammar

    return schema_grammar(tools_schema(tools, required, parallel))


# ---- reading replies ---------------------------------------------------------------------------------------
_CONTENT_START = re.compile(r'\s*\{\s*"content"\s*:\s*"')
_CALLS_START = re.compile(r'\s*\{\s*"tool_calls"\s*:\s*\[\s*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def json_string_prefix(s: str, i: int) -> tuple[str, bool]:
    """Decode the JSON string body starting at ``s[i]`` as far as it is complete: (text, whether it ended)."""
    out = []
    n = len(s)
    while i < n:
        c = s[i]
        if c == '"':
            return "".join(out), True
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= n:
            break
        e = s[i + 1]
        if e != "u":
            out.append(_ESCAPES.get(e, e))
            i += 2
            continue
        try:
            code = int(s[i + 2:i + 6], 16) if i + 6 <= n else None
            if code is None:
                break
            if 0xD800 <= code < 0xDC00:  # a high surrogate: wait for its low half
                if i + 12 > n:
                    break
                low = int(s[i + 8:i + 12], 16) if s[i + 6:i + 8] == "\\u" else -1
                if 0xDC00 <= low < 0xE000:
                    out.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                    i += 12
                    continue
                code = 0xFFFD
            out.append(chr(code))
            i += 6
        except ValueError:
            break
    return "".join(out), False


class GrammarReply:
    """Reads a reply made under :func:`tools_grammar` while it streams: a ``{"content": ...}`` answer's text is
    passed on as it is decoded; calls are read at the end."""

    def __init__(self) -> None:
        self.raw = ""
        self._shown = 0

    def _content(self) -> tuple[str, bool] | None:
        m = _CONTENT_START.match(self.raw)
        return json_string_prefix(self.raw, m.end()) if m else None

    def feed(self, text: str) -> str:
        """The answer's new text (empty while the reply is, or may become, a call)."""
        self.raw += text
        got = self._content()
        if got is None:
            return ""
        new = got[0][self._shown:]
        self._shown = len(got[0])
        return new

    def finish(self) -> tuple[str, list[dict]]:
        """(the rest of the answer's text, the calls). A reply cut short (``max_tokens``) keeps the calls it
        completed; one with none comes back as its raw text, so nothing the model wrote is hidden."""
        got = self._content()
        if got is not None:
            return got[0][self._shown:], []
        try:
            obj = json.loads(self.raw, strict=False)
            calls = obj.get("tool_calls") if isinstance(obj, dict) else None
        except ValueError:
            calls = self._complete_calls()
        if not isinstance(calls, list):
            return self.raw, []
        out = []
        for c in calls:
            if isinstance(c, dict) and isinstance(c.get("name"), str):
                out.append({"id": new_call_id(), "name": c["name"],
                            "arguments": json.dumps(c.get("arguments", {}), ensure_ascii=False)})
        return ("", out) if out else (self.raw, [])

    def _complete_calls(self) -> list:
        """The calls a reply cut short finished before it was cut."""
        m = _CALLS_START.match(self.raw)
        if not m:
            return []
        decoder, pos, calls = json.JSONDecoder(strict=False), m.end(), []
        while True:
            try:
                value, pos = decoder.raw_decode(self.raw, pos)
            except ValueError:
                return calls
            calls.append(value)
            while pos < len(self.raw) and self.raw[pos] in " \t\r\n,":
                pos += 1


def template_knows_tools(formatter) -> bool:
    """Whether ``formatter`` (a Jinja chat formatter) renders the ``tools`` it is given: a probe tool's name must
    appear in the prompt."""
    template = getattr(formatter, "template", None)
    if not isinstance(template, str) or "tools" not in template:
        return False
    probe = [{"type": "function", "function": {"name": "hearth_probe_function", "description": "A probe.",
                                               "parameters": {"type": "object", "properties": {}}}}]
    try:
        prompt = formatter(messages=[{"role": "user", "content": "hi"}], tools=probe).prompt
    except Exception:
        return False
    return "hearth_probe_function" in prompt


_HERMES = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)


def _calls_in(value, names: list[str]) -> list[dict] | None:
    """Calls in a parsed JSON value ({"name", "arguments"|"parameters"} or a list of them), None when it is not
    (only) calls of the request's tools."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("function"), dict):
            item = item["function"]
        if not isinstance(item, dict) or item.get("name") not in names:
            return None
        args = item.get("arguments", item.get("parameters", {}))
        if isinstance(args, str):
            try:
                args = json.loads(args)
            except ValueError:
                return None
        if not isinstance(args, dict):
            return None
        out.append({"id": new_call_id(), "name": item["name"], "arguments": json.dumps(args, ensure_ascii=False)})
    return out or None


def _json(text: str):
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def parse_template_reply(text: str, names: list[str]) -> list[dict]:
    """The tool calls in a reply written in the model's own format (see the module's docstring); [] when it is
    not a call of the request's tools."""
    stripped = text.strip()
    blocks = _HERMES.findall(stripped)
    if blocks:
        calls = []
        for b in blocks:
            got = _calls_in(_json(b), names)
            if got is None:
                return []
            calls += got
        return calls
    for prefix in ("[TOOL_CALLS]", "<|python_tag|>", "<tool_calls>", "functools"):
        if stripped.startswith(prefix):
            stripped = stripped[len(prefix):].strip()
            break
    if stripped.startswith(("{", "[")):
        value = _json(stripped)
        if isinstance(value, dict) and isinstance(value.get("tool_calls"), list):
            value = value["tool_calls"]
        return _calls_in(value, names) or []
    return []
