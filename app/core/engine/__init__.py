"""The inference engine: llama.cpp through llama-cpp-python, prompt formatting, the pre-flight probe.
See README.md here for the map."""
from app.core.engine.generation import (  # noqa: F401
    KNOWN_FORMATS,
    KV_TYPES,
    MODEL_TEMPLATE,
    EngineError,
    GenerationRequest,
    LoadOptions,
    ModelInfo,
    PromptTooLong,
    ReplyStats,
    Sampling,
    physical_cores,
)
from app.core.engine.llama_engine import Engine, extra_buffer_types  # noqa: F401

__all__ = [
    "KNOWN_FORMATS", "KV_TYPES", "MODEL_TEMPLATE", "EngineError", "GenerationRequest", "LoadOptions", "ModelInfo",
    "PromptTooLong", "ReplyStats", "Sampling", "physical_cores", "Engine", "extra_buffer_types",
]
