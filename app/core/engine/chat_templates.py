"""Chat templates: the model's own Jinja template (rendered sandboxed by llama-cpp-python), or a known format
when the model has none or its template is broken."""
from __future__ import annotations

import logging

from app.core.engine.generation import MODEL_TEMPLATE, EngineError
from app.core.i18n import said, translate

log = logging.getLogger("hearth.engine")


MAX_TEMPLATE_CHARS = 200_000
MAX_CONSTANT_SIZE = 1_000_000


class TemplateHazard(Exception):
    """A template that would exhaust memory or CPU while compiling or rendering, sandbox or not."""


def check_template(template: str) -> None:
    """Refuse templates that Jinja's sandbox does not protect against: Jinja folds constant expressions at
    compile time (``{{ 'a' * 10**9 }}`` is evaluated before anything renders) and the sandbox does not bound
    ``*`` or ``**``. Raises ``TemplateHazard`` (or ``jinja2.TemplateSyntaxError``)."""
    from jinja2 import nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    if len(template) > MAX_TEMPLATE_CHARS:
        raise TemplateHazard(translate("EngineChatTemplate", "the template is {chars:,} characters long").format(
            chars=len(template)))
    tree = ImmutableSandboxedEnvironment().parse(template)

    def size(node) -> int:
        """An upper bound of the size of a constant sub-expression (0 when not constant)."""
        if isinstance(node, nodes.Const):
            v = node.value
            return len(v) if isinstance(v, (str, bytes)) else abs(v) if isinstance(v, int) else 1
        if isinstance(node, (nodes.Tuple, nodes.List)):
            return sum(max(1, size(i)) for i in node.items)
        if isinstance(node, (nodes.Mul, nodes.Pow)):
            left, right = size(node.left), size(node.right)
            if isinstance(node, nodes.Pow):
                return MAX_CONSTANT_SIZE * 10 if left > 1 and right > 30 else max(left, 1) ** min(right, 30)
            return left * right
        if isinstance(node, (nodes.Add, nodes.Concat)):
            parts = [node.left, node.right] if isinstance(node, nodes.Add) else node.nodes
            return sum(size(p) for p in parts)
        return 0

    for n in tree.find_all((nodes.Mul, nodes.Pow)):
        if size(n) > MAX_CONSTANT_SIZE:
            raise TemplateHazard(translate("EngineChatTemplate", "the template builds a huge constant (e.g. a string "
                                           "multiplied by a big number)"))


def make_formatter(llm, name: str):
    """(formatter, format name, where it came from) for the loaded ``llm``."""
    from llama_cpp import llama_chat_format as lcf

    md = llm.metadata or {}
    template = md.get("tokenizer.chat_template")
    source = translate("EngineChatTemplate", "{name} (chosen by you)").format(name=name)
    if name == MODEL_TEMPLATE and template:
        eos_id = llm.token_eos()
        bos_id = llm.token_bos()
        eos = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
        try:
            # the template is untrusted Jinja: llama-cpp-python renders it in an ImmutableSandboxedEnvironment,
            # and we refuse what the sandbox does not cover before compiling it
            check_template(template)
            fmt = lcf.Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                          stop_token_ids=[eos_id])
            # render once now, so a broken template shows at load time, not in the middle of a chat
            fmt(messages=[{"role": "system", "content": "s"}, {"role": "user", "content": "hi"},
                          {"role": "assistant", "content": "hello"}, {"role": "user", "content": "?"}])
            return fmt, MODEL_TEMPLATE, translate("EngineChatTemplate", "embedded in the model (Jinja, sandboxed)")
        except Exception as exc:  # broken or hostile: fall back to a known format and say so
            if isinstance(exc, TemplateHazard):  # Hearth's own sentence (one short line): kept translatable
                reason = said(exc)
            else:
                reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            log.warning("the model's chat template failed (%s); using chatml", reason)
            name = "chatml"
            source = translate("EngineChatTemplate", "chatml (the model's own template failed: {reason}; pick another "
                               "format if replies look wrong)").format(reason=reason)
    elif name == MODEL_TEMPLATE:
        arch = str(md.get("general.architecture", ""))
        name = format_for_architecture(arch, _has_token(llm, "<|start_header_id|>"))
        source = translate("EngineChatTemplate", "{name} (the model has no chat template; chosen from its "
                           "architecture, {arch}; pick another format if replies look wrong)").format(
            name=name, arch=arch or translate("EngineChatTemplate", "unknown"))
    fn = KNOWN_FORMAT_FUNCS.get(name)
    if fn is None:
        raise EngineError(translate("EngineChatTemplate", "Unknown chat format {name!r}").format(name=name))
    if name == "gemma":
        return _gemma_with_system, name, source
    return getattr(lcf, fn), name, source


def format_for_architecture(arch: str, llama3_tokens: bool = False) -> str:
    """The known format a model of this architecture was most likely trained on (for files without a template):
    Gemma's turns for gemma*, Llama 3's headers when its vocabulary has them, else ChatML (Qwen, SmolLM, Phi,
    most fine-tunes)."""
    arch = arch.lower()
    if arch.startswith("gemma"):
        return "gemma"
    if arch == "llama" and llama3_tokens:
        return "llama-3"
    if arch in ("mistral", "mistral3"):
        return "mistral-instruct"
    return "chatml"


def _has_token(llm, text: str) -> bool:
    try:
        ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
    except Exception:
        return False
    return len(ids) == 1


def _gemma_with_system(messages, **kwargs):
    """llama-cpp-python's Gemma format drops the system message; Gemma's own template puts it before the first
    user message, as this does."""
    from llama_cpp import llama_chat_format as lcf

    system = "\n\n".join(m["content"] for m in messages if m.get("role") == "system" and m.get("content"))
    rest = [dict(m) for m in messages if m.get("role") != "system"]
    if system:
        first = next((m for m in rest if m.get("role") == "user"), None)
        if first is not None:
            first["content"] = f"{system}\n\n{first['content']}"
    return lcf.format_gemma(rest, **kwargs)


class deferred_model_templates:
    """While a ``Llama`` is constructed, keep llama-cpp-python from compiling the model's templates itself.

    Its constructor compiles every ``tokenizer.chat_template*`` in the metadata, so a template with a syntax
    error made the model impossible to load, and a hostile one ran before Hearth could check it. Hearth never
    uses those handlers (``make_formatter`` builds its own, checked and with a fallback)."""

    class _Unused:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def to_chat_handler(self):
            def handler(*args, **kwargs):
                raise EngineError("Hearth formats chats itself; this llama-cpp-python handler is not used")
            return handler

    def __enter__(self):
        from llama_cpp import llama_chat_format as lcf

        self.lcf = lcf
        self.real = lcf.Jinja2ChatFormatter
        lcf.Jinja2ChatFormatter = self._Unused
        return self

    def __exit__(self, *exc) -> None:
        self.lcf.Jinja2ChatFormatter = self.real


# the llama-cpp-python formatter behind each known format name
KNOWN_FORMAT_FUNCS = {
    "chatml": "format_chatml",
    "llama-3": "format_llama3",
    "mistral-instruct": "format_mistral_instruct",
    "gemma": "format_gemma",
    "zephyr": "format_zephyr",
    "llama-2": "format_llama2",
    "alpaca": "format_alpaca",
}
