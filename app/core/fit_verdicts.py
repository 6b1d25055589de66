"""Fit verdicts for the Models page: for a file on the Hub (its header read with HTTP Range requests, a few MB at
most, never the whole file) and for a file in the library. The estimate itself is :mod:`app.core.fit`'s; this
module only feeds it a header and this computer's devices."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.core import network
from app.core.hub_errors import from_status, translate

log = logging.getLogger("hearth.fit")

LEVELS = {"gpu_full": 0, "cpu": 0, "partial": 1, "no_fit": 2}
SHORT = {"gpu_full": "Fits (GPU)", "cpu": "Fits (CPU, in RAM)", "partial": "Partly on GPU", "no_fit": "Too big"}


@dataclass
class Verdict:
    label: str  # short text for a table cell
    level: int  # 0 fits fully, 1 partly, 2 does not fit
    detail: str  # tooltip: the numbers behind it
    bpw: float | None = None  # bits per weight measured from the header (file size / parameters)
    bytes_read: int = 0  # how much of the remote file was fetched


class HubRangeSource:
    """A GGUF byte source over HTTP Range requests to a ``resolve`` URL, through Hearth's client."""

    def __init__(self, url: str, size: int, headers: dict[str, str]) -> None:
        self.url, self.size, self.headers = url, size, headers
        self.name = url.rsplit("/", 1)[-1]
        self.fetched = 0

    def read(self, offset: int, n: int) -> bytes:
        if n <= 0 or offset >= self.size:
            return b""
        end = min(self.size, offset + n) - 1
        h = dict(self.headers, Range=f"bytes={offset}-{end}")
        with network.purpose("header read"):
            try:
                r = network.session().get(self.url, headers=h, follow_redirects=True)
            except Exception as exc:
                raise translate(exc, f"Reading the header of {self.name}") from exc
        if r.status_code >= 400:
            raise from_status(r.status_code, f"Reading the header of {self.name}")
        if r.status_code != 206:  # a server that ignores Range would send the whole file: refuse
            raise translate(ValueError("the server does not support byte ranges"), f"Reading {self.name}")
        self.fetched += len(r.content)
        return r.content


def devices():
    """This computer's devices for the estimator: the hardware module's when present, else the CPU and RAM."""
    from app.core.fit import Device

    try:
        from app.core import hardware  # written alongside the estimator

        fn = getattr(hardware, "fit_devices", None) or getattr(hardware, "devices", None)
        if fn is not None:
            return fn()
    except ImportError:
        pass
    import psutil

    vm = psutil.virtual_memory()
    return [Device(id="cpu", name="CPU", kind="cpu", total_bytes=vm.total, free_bytes=vm.available)]


def verdict_for_model(model, n_ctx: int, kv_type: str = "f16", flash_attn: bool = False) -> Verdict:
    from app.core.fit import FitOptions, fit
    from app.core.model_profile import profile_from_gguf

    profile = profile_from_gguf(model)
    res = fit(profile, FitOptions(n_ctx=n_ctx, kv_type=kv_type, flash_attn=flash_attn), devices())
    params = sum(t.n_elements for t in model.tensors)
    size = sum(t.nbytes for t in model.tensors)
    gib = 1024 ** 3
    need = sum(res.required.values()) / gib
    have = sum(res.budget.values()) / gib
    detail = (f"{res.label} at {n_ctx:,} tokens: needs about {need:.1f} GiB, {have:.1f} GiB available. "
              f"Largest context that fits: {res.max_ctx:,} tokens.")
    if res.notes:
        detail += " " + "; ".join(res.notes)
    return Verdict(label=SHORT.get(res.verdict, res.label), level=LEVELS.get(res.verdict, 2), detail=detail,
                   bpw=(8 * size / params) if params else None)


def remote_verdict(repo_id: str, revision: str, files: list[tuple[str, int]], n_ctx: int, *, endpoint: str,
                   token: str | None = None) -> Verdict:
    """Verdict for a GGUF on the Hub (``files``: the (name, size) of each shard), reading only the headers."""
    network.require_online("Checking whether a model fits")
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import build_hf_headers

    from app.core.gguf.header import assemble, read_header

    headers = build_hf_headers(token=token or False)
    headers["Accept-Encoding"] = "identity"
    shards, fetched = [], 0
    for name, size in files:
        src = HubRangeSource(hf_hub_url(repo_id, name, revision=revision or "main", endpoint=endpoint), size,
                             headers)
        shards.append(read_header(src))
        fetched += src.fetched
    model = assemble(shards, [n for n, _s in files])
    v = verdict_for_model(model, n_ctx)
    v.bytes_read = fetched
    return v


def local_verdict(path: Path, n_ctx: int) -> Verdict:
    from app.core.gguf.header import read_model_file

    return verdict_for_model(read_model_file(path), n_ctx)
