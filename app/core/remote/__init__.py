"""Remote backends: models served by another machine (llama.cpp's llama-server, vLLM, Ollama, LM Studio,
another Hearth) used through the same engine interface as the local engine. See README.md here for the map."""
from app.core.remote.backends import (  # noqa: F401
    Backend,
    BackendError,
    BackendStore,
    RemoteModel,
    is_model_key,
    is_public,
    model_key,
    normalize_url,
    parse_model_key,
)
from app.core.remote.errors import RemoteError  # noqa: F401

__all__ = ["Backend", "BackendError", "BackendStore", "RemoteModel", "is_model_key", "is_public", "model_key",
           "normalize_url", "parse_model_key", "RemoteError"]
