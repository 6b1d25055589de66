"""The backends the user added: where they are, what they are, which models they serve; kept in
``backends.json`` in the data folder. API keys are kept apart, in the OS keyring (``hub/token``'s secrets), never
in this file, the settings, the logs or the network log.

A remote model is named everywhere a local model's path would be (the Chat picker, a conversation's settings,
``last_model``) by a key ``remote:<backend url>#<model id>`` (:func:`model_key`, :func:`parse_model_key`).
"""
from __future__ import annotations

import json
import logging
import os
import threading
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.core.i18n import QT_TRANSLATE_NOOP, translate
from app.core.hub.token import keyring_usable, read_secret, write_secret
from app.core.net import policy

log = logging.getLogger("hearth.remote")

PREFIX = "remote:"
KINDS = {  # what the probe found: the name users know (shown as translate("RemoteBackends", name))
    "llama.cpp": QT_TRANSLATE_NOOP("RemoteBackends", "llama.cpp server"),
    "vllm": "vLLM",
    "ollama": "Ollama",
    "lmstudio": "LM Studio",
    "hearth": "Hearth",
    "llama-cpp-python": QT_TRANSLATE_NOOP("RemoteBackends", "llama-cpp-python server"),
    "openai": QT_TRANSLATE_NOOP("RemoteBackends", "OpenAI-compatible server"),
}


class BackendError(ValueError):
    """A backend address or setting that cannot be used, in words."""


@dataclass
class RemoteModel:
    id: str
    n_ctx: int = 0  # the context the server runs the model with (0: the server does not say)
    n_ctx_source: str = ""  # where n_ctx came from ("/props", "max_model_len", "/api/show", ...)
    details: str = ""  # size, quantization... when the server says


@dataclass
class Backend:
    url: str  # normalised base address, without /v1: "http://192.168.1.20:8080"
    kind: str = "openai"  # a key of KINDS
    name: str = ""  # what the server calls itself, when it says
    models: list[RemoteModel] = field(default_factory=list)
    has_key: bool = False  # an API key is kept in the keyring for this backend
    tokenize: str = ""  # the tokenizer route the server offers ("/tokenize", "/extras/tokenize/count", "")
    public: bool = False  # the host is on the internet (added after the second confirmation)
    checked_at: float = 0.0

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        parts = urllib.parse.urlsplit(self.url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    @property
    def label(self) -> str:
        """How the picker marks its models: the host and port ("192.168.1.20:8080")."""
        parts = urllib.parse.urlsplit(self.url)
        return parts.netloc.rsplit("@", 1)[-1]

    @property
    def kind_name(self) -> str:
        name = KINDS.get(self.kind)
        return translate("RemoteBackends", name) if name is not None else self.kind

    def model(self, model_id: str) -> RemoteModel | None:
        return next((m for m in self.models if m.id == model_id), None)


def normalize_url(text: str) -> str:
    """The base address of a server from what a user typed: a scheme is required to be http or https (bare
    ``host:port`` gets http), a trailing ``/v1`` or ``/`` is dropped, no user name, query or fragment.
    Raises :class:`BackendError` with the reason."""
    text = (text or "").strip()
    if not text:
        raise BackendError(translate("RemoteBackends", "Enter the server's address, such as "
                                                       "http://192.168.1.20:8080."))
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BackendError(translate("RemoteBackends", "{address} is not a valid address ({error})."
                                     ).format(address=text, error=exc)) from exc
    if parts.scheme not in ("http", "https"):
        raise BackendError(translate("RemoteBackends", "Use an http:// or https:// address (not {scheme}://)."
                                     ).format(scheme=parts.scheme))
    if not parts.hostname:
        raise BackendError(translate("RemoteBackends", "{address} has no host name.").format(address=text))
    if parts.username or parts.password:
        raise BackendError(translate("RemoteBackends", "Put the API key in the key field, not in the address."))
    if parts.query or parts.fragment:
        raise BackendError(translate("RemoteBackends", "The address should not have a query (?…) or a fragment "
                                                       "(#…)."))
    path = parts.path.rstrip("/")
    for tail in ("/v1/models", "/v1/chat/completions", "/v1", "/api"):
        if path.endswith(tail):
            path = path[: -len(tail)]
            break
    host = parts.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{parts.scheme}://{netloc}{path}"


def is_public(url: str) -> bool:
    """True when the backend is on the internet (not this machine or the local network)."""
    return not policy.is_local_network_host(urllib.parse.urlsplit(url).hostname or "")


def model_key(url: str, model_id: str) -> str:
    return f"{PREFIX}{url}#{model_id}"


def is_model_key(text: str | None) -> bool:
    return bool(text) and str(text).startswith(PREFIX)


def parse_model_key(key: str) -> tuple[str, str]:
    """(backend url, model id) from :func:`model_key`'s text."""
    if not is_model_key(key) or "#" not in key:
        raise BackendError(translate("RemoteBackends", "{key} does not name a remote model.").format(key=repr(key)))
    url, model_id = key[len(PREFIX):].split("#", 1)
    return url, model_id


def _account(url: str) -> str:
    return f"backend-key {url}"


def _key_file(url: str) -> str:
    import hashlib

    return "backend-key-" + hashlib.sha256(url.encode()).hexdigest()[:16]


class BackendStore:
    """The added backends (thread-safe); changes are written at once (atomically) and allow-listed in the
    network layer (``policy.set_backend_hosts``)."""

    def __init__(self, data_dir: Path, config_dir: Path) -> None:
        self.path = Path(data_dir) / "backends.json"
        self.config_dir = Path(config_dir)
        self._lock = threading.Lock()
        self._backends: list[Backend] = self._read()
        self._publish()

    def _read(self) -> list[Backend]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("could not read %s (%s): starting with no backends", self.path, exc)
            return []
        out = []
        for item in raw.get("backends", []) if isinstance(raw, dict) else []:
            try:
                models = [RemoteModel(**m) for m in item.get("models", [])]
                b = Backend(**{k: v for k, v in item.items() if k != "models" and k in Backend.__dataclass_fields__})
                b.url = normalize_url(b.url)
                b.models = models
                out.append(b)
            except (TypeError, BackendError, AttributeError) as exc:
                log.warning("skipped a damaged backend entry in %s: %s", self.path, exc)
        return out

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": 1, "backends": [asdict(b) for b in self._backends]}, indent=1),
                       encoding="utf-8")
        os.replace(tmp, self.path)

    def _publish(self) -> None:
        policy.set_backend_hosts((b.host, b.port) for b in self._backends)

    def all(self) -> list[Backend]:
        with self._lock:
            return list(self._backends)

    def get(self, url: str) -> Backend | None:
        with self._lock:
            return next((b for b in self._backends if b.url == url), None)

    def save(self, backend: Backend, key: str | None = None) -> None:
        """Add or replace (by url). ``key``: a new API key ('' removes it; None keeps the one kept)."""
        if key is not None:
            self.set_key(backend.url, key)
            backend.has_key = bool(key)
        with self._lock:
            self._backends = [b for b in self._backends if b.url != backend.url] + [backend]
            self._write()
            self._publish()

    def remove(self, url: str) -> None:
        with self._lock:
            self._backends = [b for b in self._backends if b.url != url]
            self._write()
            self._publish()
        self.set_key(url, "")

    def key(self, url: str) -> str:
        return read_secret(self.config_dir, _account(url), _key_file(url))

    def set_key(self, url: str, key: str) -> None:
        key = (key or "").strip()
        if key:
            if any(c.isspace() for c in key) or len(key) > 4096:
                raise BackendError(translate("RemoteBackends", "That API key has spaces in it or is far too long."))
            write_secret(self.config_dir, _account(url), _key_file(url), key)
            return
        kr = keyring_usable()
        if kr is not None:
            try:
                kr.delete_password("Hearth", _account(url))
            except Exception:
                pass
        (self.config_dir / _key_file(url)).unlink(missing_ok=True)

    def resolve(self, key: str) -> tuple[Backend, str]:
        """(backend, model id) for a remote model key; BackendError when the backend was removed."""
        url, model_id = parse_model_key(key)
        b = self.get(url)
        if b is None:
            raise BackendError(translate("RemoteBackends", "The backend {url} is no longer in your Backends list; "
                                                           "add it again to use {model}.").format(url=url,
                                                                                                  model=model_id))
        return b, model_id
