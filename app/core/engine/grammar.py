"""Constrained replies: GBNF grammars (llama.cpp's grammar format), a JSON schema turned into one with
llama-cpp-python's converter, and llama.cpp's grammar sampler with its reason in words when it refuses a grammar.

Runs inside the engine process only (it imports ``llama_cpp``). A grammar sampler lets the model end its reply
(an end-of-generation token) only where the grammar is complete, and nothing but an end once it is complete: a
reply under a grammar ends by itself or at ``max_tokens`` (then it may be cut short, e.g. unfinished JSON)."""
from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile

from app.core.engine.generation import EngineError, Sampling

MAX_REASON_CHARS = 300


def grammar_for(sampling: Sampling) -> str:
    """The GBNF grammar ``sampling`` asks for ('' for none): its ``grammar``, else its ``json_schema``'s."""
    if sampling.grammar:
        return sampling.grammar
    if sampling.json_schema is None:
        return ""
    return schema_grammar(sampling.json_schema)


def schema_grammar(schema: dict) -> str:
    """GBNF for JSON matching ``schema``; ``{}``: any JSON object."""
    from llama_cpp import llama_grammar

    if not isinstance(schema, dict):
        raise EngineError("The JSON schema must be a JSON object.")
    if not schema:
        return llama_grammar.JSON_GBNF
    try:
        return llama_grammar.json_schema_to_gbnf(json.dumps(schema))
    except Exception as exc:  # the converter raises whatever it meets (KeyError, ValueError, RecursionError ...)
        raise EngineError(f"The JSON schema could not be turned into a grammar: {type(exc).__name__}: {exc}") \
            from exc


def grammar_sampler(vocab, grammar: str):
    """llama.cpp's grammar sampler for ``grammar`` (root rule ``root``). ``EngineError("The grammar is invalid:
    ...")`` with llama.cpp's reason when it refuses it (its parser prints the reason on stderr, its checks log it)."""
    import llama_cpp as lib

    from app.core.engine import llama_log

    printed: list[bytes] = []
    with llama_log.Capture() as cap, _native_stderr(printed):
        ptr = lib.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if ptr:
        return ptr
    lines = [ln.strip() for ln in b"".join(printed).decode("utf-8", "replace").splitlines()]
    reasons = [ln.split("error parsing grammar:", 1)[1].strip() for ln in lines if "error parsing grammar:" in ln]
    reasons += [r for r in cap.errors() if r != "failed to parse grammar"]
    reason = "; ".join(dict.fromkeys(reasons)) or "llama.cpp could not parse it"
    raise EngineError(f"The grammar is invalid: {reason[:MAX_REASON_CHARS]}")


@contextlib.contextmanager
def _native_stderr(into: list[bytes]):
    """Collect what native code writes to file descriptor 2 meanwhile, and write it on to the real stderr after
    (the engine process's log keeps it)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable stderr: nothing to collect
        yield
        return
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            data = tmp.read()
            into.append(data)
            if data:
                try:
                    os.write(2, data)
                except OSError:
                    pass
