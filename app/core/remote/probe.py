"""What a backend is and what it serves: one short series of requests when the user adds (or refreshes) it.

``GET /v1/models`` everywhere (an unknown OpenAI-compatible server works with what it says); then what each
kind offers on top: llama.cpp's ``llama-server`` ``/props`` (the context it runs with) and ``/tokenize``; vLLM's
``max_model_len`` and ``/tokenize``; llama-cpp-python's ``/extras/tokenize/count``; LM Studio's
``/api/v0/models`` (each model's context); Ollama's native ``/api/version``, ``/api/tags`` and ``/api/show``
(the model's context length; chats then go to its native ``/api/chat`` with ``options.num_ctx``, because its
``/v1`` silently cuts conversations to a default context)."""
from __future__ import annotations

import time

from app.core.i18n import translate
from app.core.remote.backends import Backend, RemoteModel, normalize_url
from app.core.remote.client import BackendClient
from app.core.remote.errors import RemoteError

WHAT = "backend check"


def probe(url: str, key: str = "", timeout: float = 15.0) -> Backend:
    """A :class:`Backend` describing the server at ``url`` (its models included), or :class:`RemoteError`."""
    url = normalize_url(url)
    client = BackendClient(url, key, timeout=timeout)
    try:
        backend = _ollama(client, url) or _openai(client, url)
    finally:
        client.close()
    backend.has_key = bool(key)
    backend.checked_at = time.time()
    return backend


def _optional(client: BackendClient, method: str, path: str, body=None):
    """An extra route: its JSON, or None when the server does not offer it. A refused key still stops the probe."""
    try:
        if method == "GET":
            return client.get_json(path, what=WHAT, retry=False)
        return client.post_json(path, body, what=WHAT, retry=False)
    except RemoteError as exc:
        if exc.kind in ("auth", "refused", "dns", "tls", "timeout", "offline", "blocked"):
            raise
        return None


def _ollama(client: BackendClient, url: str) -> Backend | None:
    version = _optional(client, "GET", "/api/version")
    if not isinstance(version, dict) or not isinstance(version.get("version"), str):
        return None
    tags = client.get_json("/api/tags", what=WHAT)
    items = tags.get("models") if isinstance(tags, dict) else None
    if not isinstance(items, list):
        raise RemoteError(translate("RemoteProbe", "{address} did not list models (an Ollama server lists them "
                                                   "there).").format(address=client.where + "/api/tags"),
                          "bad_answer")
    models = []
    for item in items:
        name = item.get("name") or item.get("model") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name:
            continue
        m = RemoteModel(name, details=_ollama_details(item))
        show = _optional(client, "POST", "/api/show", {"model": name})
        if isinstance(show, dict):
            m.n_ctx, m.n_ctx_source = _ollama_ctx(show), "/api/show"
        models.append(m)
    return Backend(url, "ollama", f"Ollama {version['version']}", models, tokenize="")


def _ollama_details(item: dict) -> str:
    d = item.get("details") if isinstance(item.get("details"), dict) else {}
    return " · ".join(str(x) for x in (d.get("parameter_size"), d.get("quantization_level")) if x)


def _ollama_ctx(show: dict) -> int:
    """The context length the model was trained for (``model_info["<arch>.context_length"]``), or the
    ``num_ctx`` its Modelfile sets."""
    params = show.get("parameters")
    if isinstance(params, str):
        for line in params.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "num_ctx" and parts[1].isdigit():
                return int(parts[1])
    info = show.get("model_info")
    if isinstance(info, dict):
        for k, v in info.items():
            if k.endswith(".context_length") and isinstance(v, int) and v > 0:
                return v
    return 0


def _openai(client: BackendClient, url: str) -> Backend:
    listing = client.get_json("/v1/models", what=WHAT)
    data = listing.get("data") if isinstance(listing, dict) else None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise RemoteError(translate("RemoteProbe", "{address} did not answer with a model list; it does not look "
                                                   "like an OpenAI-compatible server."
                                    ).format(address=client.where + "/v1/models"), "bad_answer")
    models = [RemoteModel(d["id"]) for d in data if isinstance(d.get("id"), str) and d["id"]]
    owners = {d.get("owned_by") for d in data}
    b = Backend(url, "openai", "", models)
    if "llamacpp" in owners or any(isinstance(d.get("meta"), dict) for d in data):
        b.kind = "llama.cpp"
        props = _optional(client, "GET", "/props")
        if isinstance(props, dict):
            settings = props.get("default_generation_settings")
            n_ctx = props.get("n_ctx") or (settings.get("n_ctx") if isinstance(settings, dict) else 0)
            for m in b.models:
                if isinstance(n_ctx, int) and n_ctx > 0:
                    m.n_ctx, m.n_ctx_source = n_ctx, "/props"
            b.name = str(props.get("build_info") or "")[:80]
        b.tokenize = "/tokenize"
    elif any("max_model_len" in d for d in data):
        b.kind = "vllm"
        for d, m in zip([d for d in data if isinstance(d.get("id"), str) and d["id"]], b.models):
            if isinstance(d.get("max_model_len"), int):
                m.n_ctx, m.n_ctx_source = d["max_model_len"], "max_model_len"
        if b.models and isinstance(_optional(client, "POST", "/tokenize", {"model": b.models[0].id, "prompt": "hi"}),
                                   dict):
            b.tokenize = "/tokenize"
    elif "hearth" in owners:
        b.kind = "hearth"
        for d, m in zip(data, b.models):
            if isinstance(d.get("context_length"), int):
                m.n_ctx, m.n_ctx_source = d["context_length"], "/v1/models"
        if b.models and isinstance(_optional(client, "POST", "/tokenize", {"model": b.models[0].id, "prompt": "hi"}),
                                   dict):
            b.tokenize = "/tokenize"
    else:
        lms = _optional(client, "GET", "/api/v0/models")
        rows = lms.get("data") if isinstance(lms, dict) else None
        if isinstance(rows, list) and rows and all(isinstance(r, dict) and "max_context_length" in r for r in rows):
            b.kind = "lmstudio"
            ctx = {r.get("id"): r.get("loaded_context_length") or r.get("max_context_length") for r in rows}
            kinds = {r.get("id"): r.get("type") for r in rows}
            b.models = [m for m in b.models if kinds.get(m.id) != "embeddings"]
            for m in b.models:
                if isinstance(ctx.get(m.id), int):
                    m.n_ctx, m.n_ctx_source = ctx[m.id], "/api/v0/models"
        elif "me" in owners and b.models and isinstance(
                _optional(client, "POST", "/extras/tokenize/count", {"model": b.models[0].id, "input": "hi"}), dict):
            b.kind = "llama-cpp-python"
            b.tokenize = "/extras/tokenize/count"
    return b
