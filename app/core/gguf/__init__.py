"""Hearth's own GGUF reader: header (metadata + tensor infos) from a local file or over HTTP Range requests,
validated as untrusted input before llama.cpp is allowed to open the file. No Qt, no numpy."""
from app.core.gguf.header import (GGUFError, GGUFHeader, GGUFModel, TensorInfo, read_header, read_header_file,
                                  read_model_file)

__all__ = ["GGUFError", "GGUFHeader", "GGUFModel", "TensorInfo", "read_header", "read_header_file",
           "read_model_file"]
