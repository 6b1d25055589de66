"""Hugging Face Hub: search, repository listings grouped by quantization, model cards, safe names, errors and
the token. See README.md here for the map."""
from app.core.hub.names import REPO_PART_RE, UnsafeNameError, safe_relpath, safe_repo_id  # noqa: F401
from app.core.hub.repos import (  # noqa: F401
    SORTS,
    SHARD_RE,
    QUANT_RE,
    BITS_PER_WEIGHT,
    parse_quant,
    quant_sort_key,
    RepoSummary,
    SearchPager,
    RemoteFile,
    QuantEntry,
    RepoDetails,
    group_gguf_files,
    repo_details,
    fetch_model_card,
)

__all__ = [
    "SORTS",
    "SHARD_RE",
    "QUANT_RE",
    "BITS_PER_WEIGHT",
    "REPO_PART_RE",
    "UnsafeNameError",
    "safe_repo_id",
    "safe_relpath",
    "parse_quant",
    "quant_sort_key",
    "RepoSummary",
    "SearchPager",
    "RemoteFile",
    "QuantEntry",
    "RepoDetails",
    "group_gguf_files",
    "repo_details",
    "fetch_model_card",
]
