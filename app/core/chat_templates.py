"""Chat templates: the model's own Jinja template (rendered sandboxed by llama-cpp-python), or a known format
when the model has none or its template is broken."""
from __future__ import annotations

import logging

from app.core.generation import MODEL_TEMPLATE, EngineError

log = logging.getLogger("hearth.engine")


def make_formatter(llm, name: str):
    """(formatter, format name, where it came from) for the loaded ``llm``."""
    from llama_cpp import llama_chat_format as lcf

    md = llm.metadata or {}
    template = md.get("tokenizer.chat_template")
    source = f"{name} (chosen by you)"
    if name == MODEL_TEMPLATE and template:
        eos_id = llm.token_eos()
        bos_id = llm.token_bos()
        eos = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
        try:
            # the template is untrusted Jinja: llama-cpp-python renders it in an ImmutableSandboxedEnvironment
            fmt = lcf.Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                          stop_token_ids=[eos_id])
            # render once now, so a broken template shows at load time, not in the middle of a chat
            fmt(messages=[{"role": "system", "content": "s"}, {"role": "user", "content": "hi"},
                          {"role": "assistant", "content": "hello"}, {"role": "user", "content": "?"}])
            return fmt, MODEL_TEMPLATE, "embedded in the model (Jinja, sandboxed)"
        except Exception as exc:  # broken or hostile: fall back to a known format and say so
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            log.warning("the model's chat template failed (%s); using chatml", reason)
            name = "chatml"
            source = f"chatml (the model's own template failed: {reason}; pick another format if replies look wrong)"
    elif name == MODEL_TEMPLATE:
        name = "chatml"
        source = "chatml (the model has no chat template; pick another format if replies look wrong)"
    fn = KNOWN_FORMAT_FUNCS.get(name)
    if fn is None:
        raise EngineError(f"Unknown chat format {name!r}")
    return getattr(lcf, fn), name, source


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
