"""Hugging Face Hub: search GGUF repositories, list a repository's GGUF files grouped by quantization, fetch
the model card. Everything goes through huggingface_hub's client (and so through :mod:`app.core.net`).

File names from the Hub are untrusted: :func:`safe_relpath` and :func:`safe_repo_id` reject anything that
could write outside the models folder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Iterator

from app.core import net
from app.core.hub.names import UnsafeNameError, safe_relpath, safe_repo_id
from app.core.hub.errors import HubError
from app.core.hub.errors import translate as hub_error
from app.core.i18n import translate

SORTS = {"downloads": "downloads", "likes": "likes", "recent": "last_modified"}
SHARD_RE = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
QUANT_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:UD-)?("
    r"IQ[1-4]_(?:XXS|XS|NL|S|M)|TQ[12]_0|MXFP4(?:_MOE)?|Q[2-8]_K(?:_XL|_[SMLX])?|Q[4-8]_[01]|BF16|F16|F32|FP16"
    r")(?![A-Za-z0-9])", re.IGNORECASE)
# nominal bits per weight of llama.cpp's quantization types (what `llama-quantize` reports)
BITS_PER_WEIGHT = {
    "IQ1_S": 1.56, "IQ1_M": 1.75, "IQ2_XXS": 2.06, "IQ2_XS": 2.31, "IQ2_S": 2.5, "IQ2_M": 2.7,
    "IQ3_XXS": 3.06, "IQ3_XS": 3.3, "IQ3_S": 3.44, "IQ3_M": 3.66, "IQ4_XS": 4.25, "IQ4_NL": 4.5,
    "TQ1_0": 1.69, "TQ2_0": 2.06, "Q2_K": 2.63, "Q2_K_S": 2.6, "Q2_K_L": 2.9, "Q3_K_S": 3.5, "Q3_K_M": 3.91,
    "Q3_K_L": 4.27, "Q3_K_XL": 4.4, "Q4_0": 4.5, "Q4_1": 5.0, "Q4_K_S": 4.58, "Q4_K_M": 4.89,
    "Q4_K_L": 5.0, "Q4_K_XL": 5.0, "Q5_0": 5.5, "Q5_1": 6.0, "Q5_K_S": 5.54, "Q5_K_M": 5.7, "Q5_K_L": 5.8,
    "Q5_K_XL": 5.9, "Q6_K": 6.56, "Q6_K_L": 6.6, "Q6_K_XL": 6.7, "Q8_0": 8.5, "Q8_K_XL": 8.6,
    "MXFP4": 4.25, "MXFP4_MOE": 4.25, "F16": 16.0, "BF16": 16.0, "F32": 32.0,
}
def parse_quant(filename: str) -> str:
    base = filename.rsplit("/", 1)[-1]
    matches = QUANT_RE.findall(SHARD_RE.sub(".gguf", base))
    if not matches:
        return "other"
    q = matches[-1].upper()
    return "F16" if q == "FP16" else q


def quant_sort_key(q: str) -> tuple[float, str]:
    return (BITS_PER_WEIGHT.get(q, 99.0), q)


# ---- search ------------------------------------------------------------------------------------------------
@dataclass
class RepoSummary:
    repo_id: str
    author: str
    downloads: int
    likes: int
    last_modified: datetime | None
    gated: bool | str
    tags: list[str] = field(default_factory=list)


def _summary(info) -> RepoSummary:
    author = info.author or info.id.split("/")[0]
    return RepoSummary(repo_id=info.id, author=author, downloads=int(info.downloads or 0),
                       likes=int(info.likes or 0), last_modified=info.last_modified or info.created_at,
                       gated=info.gated or False, tags=list(info.tags or []))


class SearchPager:
    """Results of one search, fetched a page at a time (the Hub's Link-header paging)."""

    def __init__(self, query: str, sort: str = "downloads", page_size: int = 30, *, endpoint: str,
                 token: str | None = None) -> None:
        net.require_online(translate("HubRepos", "Searching the Hub"))
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        from huggingface_hub import HfApi

        self.query, self.sort, self.page_size = query.strip(), sort, page_size
        api = HfApi(endpoint=endpoint, token=token or False)
        self._it: Iterator = iter(api.list_models(
            filter="gguf", search=self.query or None, sort=SORTS[sort],
            expand=["author", "downloads", "likes", "lastModified", "createdAt", "gated", "tags"],
            token=token or False))
        self.exhausted = False

    def next_page(self) -> list[RepoSummary]:
        if self.exhausted:
            return []
        with net.purpose("search"):
            try:
                items = list(islice(self._it, self.page_size))
            except Exception as exc:
                raise hub_error(exc, translate("HubRepos", "Search")) from exc
        if len(items) < self.page_size:
            self.exhausted = True
        return [_summary(i) for i in items]


# ---- repository ---------------------------------------------------------------------------------------------
@dataclass
class RemoteFile:
    path: str
    size: int
    sha256: str | None  # from the Hub's LFS metadata


@dataclass
class QuantEntry:
    """One choice in the quantization picker: a single GGUF, or all shards of a split GGUF."""
    name: str  # display name (first file, or "<base> (N parts)")
    quant: str
    kind: str  # "model" | "mmproj"
    files: list[RemoteFile]

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def first_file(self) -> str:
        return self.files[0].path

    @property
    def nominal_bpw(self) -> float | None:
        return BITS_PER_WEIGHT.get(self.quant)


@dataclass
class RepoDetails:
    repo_id: str
    sha: str
    gated: bool | str
    downloads: int
    likes: int
    last_modified: datetime | None
    entries: list[QuantEntry]
    rejected: list[str]  # file names refused as unsafe
    license: str = ""


def group_gguf_files(files: list[RemoteFile]) -> tuple[list[QuantEntry], list[str]]:
    """Group GGUF files: shards of one model become one entry; mmproj files are marked. Unsafe names are
    returned separately (never offered for download)."""
    rejected: list[str] = []
    singles: list[QuantEntry] = []
    shards: dict[tuple[str, str], list[tuple[int, RemoteFile]]] = {}
    for f in files:
        if not f.path.lower().endswith(".gguf"):
            continue
        try:
            safe_relpath(f.path)
        except UnsafeNameError:
            rejected.append(f.path)
            continue
        base = f.path.rsplit("/", 1)[-1]
        kind = "mmproj" if "mmproj" in base.lower() else "model"
        m = SHARD_RE.search(f.path)
        if m:
            shards.setdefault((SHARD_RE.sub("", f.path), m.group(2)), []).append((int(m.group(1)), f))
        else:
            singles.append(QuantEntry(name=f.path, quant=parse_quant(f.path), kind=kind, files=[f]))
    for (stem, total), parts in shards.items():
        parts.sort(key=lambda p: p[0])
        complete = [p[0] for p in parts] == list(range(1, int(total) + 1))
        count = int(total)
        if complete:
            label = translate("HubRepos", "{stem}.gguf (%n parts)", None, count).format(stem=stem)
        else:
            label = translate("HubRepos", "{stem}.gguf (%n parts, some missing)", None, count).format(stem=stem)
        singles.append(QuantEntry(name=label, quant=parse_quant(parts[0][1].path),
                                  kind="mmproj" if "mmproj" in stem.lower() else "model",
                                  files=[p[1] for p in parts]))
    singles.sort(key=lambda e: (e.kind != "model", quant_sort_key(e.quant), e.name))
    return singles, rejected


_MMPROJ_WORD = re.compile(r"(?:^|[-_.\s])mmproj(?:[-_.\s]|$)", re.IGNORECASE)
_PROJECTOR_QUALITY = {"F16": 0, "BF16": 1, "F32": 2, "Q8_0": 3}


def _base_name(path: str) -> str:
    """A file's model name without folder, quantization, shard suffix or "mmproj", for matching a projector
    (``mmproj-SmolVLM-256M-Instruct-f16.gguf``) with its model (``SmolVLM-256M-Instruct-Q8_0.gguf``)."""
    stem = SHARD_RE.sub(".gguf", path.rsplit("/", 1)[-1])
    stem = stem[:-5] if stem.lower().endswith(".gguf") else stem
    stem = QUANT_RE.sub("", stem)
    stem = _MMPROJ_WORD.sub("-", stem)
    return re.sub(r"[-_.\s]+", "-", stem).strip("-").lower()


def projector_for_entry(entries: list[QuantEntry], entry: QuantEntry) -> QuantEntry | None:
    """The vision projector (an mmproj file of the same repository) to offer with a model's download, or None:
    one in the model's folder first, then one that shares its name, then F16 before other types. Only the
    listing is used; the library checks its width against the model once both are downloaded."""
    if entry.kind != "model":
        return None
    projectors = [e for e in entries if e.kind == "mmproj"]
    if not projectors:
        return None
    folder = entry.first_file.rpartition("/")[0]
    base = _base_name(entry.first_file)
    return min(projectors, key=lambda e: (e.first_file.rpartition("/")[0] != folder,
                                          _base_name(e.first_file) != base,
                                          _PROJECTOR_QUALITY.get(e.quant, 9), e.name.lower()))


def with_projector(entry: QuantEntry, projector: QuantEntry) -> QuantEntry:
    """One download of the model and its projector (both go into the queue; the size check counts both)."""
    return QuantEntry(name=entry.name, quant=entry.quant, kind=entry.kind, files=[*entry.files, *projector.files])


def repo_details(repo_id: str, *, endpoint: str, token: str | None = None, revision: str | None = None) -> RepoDetails:
    net.require_online(translate("HubRepos", "Opening a repository"))
    safe_repo_id(repo_id)
    from huggingface_hub import HfApi

    with net.purpose("repository"):
        try:
            info = HfApi(endpoint=endpoint, token=token or False).model_info(
                repo_id, revision=revision, files_metadata=True, token=token or False)
        except Exception as exc:
            raise hub_error(exc, translate("HubRepos", "Opening {repo}").format(repo=repo_id)) from exc
    files = []
    for s in info.siblings or []:
        lfs = getattr(s, "lfs", None)
        sha = getattr(lfs, "sha256", None) if lfs is not None else None
        size = (getattr(lfs, "size", None) if lfs is not None else None) or s.size or 0
        files.append(RemoteFile(path=s.rfilename, size=int(size), sha256=sha))
    entries, rejected = group_gguf_files(files)
    card = info.card_data
    licence = ""
    if card is not None:
        licence = str(getattr(card, "license", "") or "")
    return RepoDetails(repo_id=info.id, sha=info.sha or "", gated=info.gated or False,
                       downloads=int(info.downloads or 0), likes=int(info.likes or 0),
                       last_modified=info.last_modified, entries=entries, rejected=rejected, license=licence)


def fetch_model_card(repo_id: str, revision: str, *, endpoint: str, token: str | None = None,
                     max_bytes: int = 512_000) -> str:
    """The repository's README.md as text ("" when it has none). Bounded in size."""
    net.require_online(translate("HubRepos", "Reading the model card"))
    safe_repo_id(repo_id)
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import build_hf_headers

    url = hf_hub_url(repo_id, "README.md", revision=revision or "main", endpoint=endpoint)
    with net.purpose("model card"):
        try:
            with net.session().stream("GET", url, headers=build_hf_headers(token=token or False)) as r:
                if r.status_code == 404:
                    return ""
                if r.status_code >= 400:
                    r.read()
                    from huggingface_hub.utils import hf_raise_for_status

                    hf_raise_for_status(r)
                data = bytearray()
                for chunk in r.iter_bytes():
                    data += chunk
                    if len(data) >= max_bytes:
                        break
        except Exception as exc:
            raise hub_error(exc, translate("HubRepos", "Reading the model card")) from exc
    return bytes(data[:max_bytes]).decode("utf-8", "replace")


__all__ = ["HubError", "RepoSummary", "SearchPager", "RemoteFile", "QuantEntry", "RepoDetails",
           "group_gguf_files", "repo_details", "fetch_model_card",
           "parse_quant", "projector_for_entry", "with_projector"]
