"""Hearth's local API server (OpenAI-compatible): see README.md."""
from app.core.server.backend import Backend, ProcessBackend, SharedBackend, model_ids
from app.core.server.gate import Busy, EngineGate, GateState
from app.core.server.http import ApiServer
from app.core.server.security import DEFAULT_PORT, ServerConfig, new_api_key

__all__ = ["ApiServer", "Backend", "Busy", "DEFAULT_PORT", "EngineGate", "GateState", "ProcessBackend",
           "ServerConfig", "SharedBackend", "model_ids", "new_api_key"]
