"""Read the header of a GGUF file on the Hugging Face Hub with HTTP Range requests: a few MB, never the weights.

Requests go through huggingface_hub's shared HTTP client (``get_session()``), so the endpoint (``HF_ENDPOINT``),
the token, proxies, and Hearth's own client factory (offline mode, request log: ``app.core.net``) all apply.
The reader asks for growing chunks (64 KiB, doubling up to 4 MiB) only as far as the header goes; numeric
arrays are skipped without fetching them. A server that ignores ``Range`` is refused before its body is read.
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from app.core.gguf.header import (SPLIT_RE, GGUFError, GGUFModel, assemble, impossible_shards, in_shard,
                                  read_header)
from app.core.i18n import said, translate

FIRST_CHUNK = 64 << 10
MAX_REMOTE_HEADER = 128 << 20


class RemoteError(Exception):
    """The Hub (or the network) did not let us read the file; the message says why."""


@dataclass(frozen=True)
class HubFile:
    repo_id: str
    filename: str
    revision: str = "main"


_URI_RE = re.compile(r"^hf://(?P<owner>[^/@\s]+)/(?P<repo>[^/@\s]+)(?:@(?P<rev>[^/\s]+))?/(?P<file>\S+\.gguf)$",
                     re.IGNORECASE)


def parse_hf_uri(uri: str) -> HubFile:
    """``hf://owner/repo/file.gguf`` (or ``hf://owner/repo@revision/dir/file.gguf``)."""
    m = _URI_RE.match(uri.strip())
    if not m:
        raise ValueError(f"{uri!r} is not a Hub file address; write hf://owner/repo/file.gguf")
    return HubFile(f"{m.group('owner')}/{m.group('repo')}", m.group("file"), m.group("rev") or "main")


def _purpose():
    try:
        from app.core import net

        return net.purpose("header read")
    except (ImportError, AttributeError):
        return contextlib.nullcontext()


def _require_online() -> None:
    try:
        from app.core import net
    except ImportError:
        return
    check = getattr(net, "require_online", None)
    if check is not None:
        try:
            check(translate("GgufRemote", "Reading a model's header from the Hub"))
        except Exception as exc:
            raise RemoteError(said(exc)) from exc


class HTTPRangeSource:
    """A byte source over HTTP Range requests. ``size`` comes from the first response's ``Content-Range``."""

    def __init__(self, url: str, headers: dict[str, str] | None = None, session=None,
                 first_chunk: int = FIRST_CHUNK) -> None:
        if session is None:
            from huggingface_hub import get_session

            session = get_session()
        self.url = url
        self.session = session
        self.headers = dict(headers or {})
        self.headers["Accept-Encoding"] = "identity"
        self.name = url.rsplit("/", 1)[-1].split("?", 1)[0]
        self.requests = 0
        self.fetched = 0
        self.size = 0
        self._first = self._get(0, first_chunk, first=True)

    def _get(self, offset: int, n: int, first: bool = False) -> bytes:
        h = dict(self.headers, Range=f"bytes={offset}-{offset + n - 1}")
        self.requests += 1
        try:
            with _purpose(), self.session.stream("GET", self.url, headers=h, follow_redirects=True) as r:
                if r.status_code == 416 and first:
                    raise GGUFError(translate("GgufRemote", "the file on the server is empty"))
                if r.status_code in (401, 403):
                    raise RemoteError(translate("GgufRemote", "the Hub refused access to {file} (HTTP {status}): "
                                                "the model may be gated or private; accept its licence on the Hub "
                                                "and set a token").format(file=self.name, status=r.status_code))
                if r.status_code == 404:
                    raise RemoteError(translate("GgufRemote", "{file} was not found on the Hub (HTTP 404): check "
                                                "the repository and file name").format(file=self.name))
                if r.status_code >= 400:
                    raise RemoteError(translate("GgufRemote", "the Hub answered HTTP {status} for {file}")
                                      .format(status=r.status_code, file=self.name))
                if r.status_code != 206:
                    raise RemoteError(translate("GgufRemote", "the server sent the whole of {file} instead of a "
                                                "part (HTTP {status}); it does not support range requests, so the "
                                                "header cannot be read without downloading the model")
                                      .format(file=self.name, status=r.status_code))
                if first:
                    m = re.match(r"bytes\s+\d+-\d+/(\d+)", r.headers.get("content-range", ""))
                    if not m:
                        raise RemoteError(translate("GgufRemote", "the server did not say how large {file} is "
                                                    "(no Content-Range)").format(file=self.name))
                    self.size = int(m.group(1))
                chunks, got = [], 0
                for chunk in r.iter_bytes():
                    chunks.append(chunk)
                    got += len(chunk)
                    if got >= n:
                        break
                data = b"".join(chunks)[:n]
        except (RemoteError, GGUFError):
            raise
        except Exception as exc:  # connection refused, timeouts, offline mode, blocked host ...
            raise RemoteError(translate("GgufRemote", "could not read {file} from the Hub: {error}")
                              .format(file=self.name, error=exc)) from exc
        self.fetched += len(data)
        return data

    def read(self, offset: int, n: int) -> bytes:
        if offset >= self.size or n <= 0:
            return b""
        n = min(n, self.size - offset)
        if offset + n <= len(self._first):
            return self._first[offset:offset + n]
        return self._get(offset, n)


def hub_url(f: HubFile, endpoint: str | None = None) -> str:
    from huggingface_hub import hf_hub_url

    if endpoint is None:
        try:
            from app.core import net

            endpoint = net.endpoint()
        except (ImportError, AttributeError):
            endpoint = None
    return hf_hub_url(f.repo_id, f.filename, revision=f.revision, endpoint=endpoint)


def read_remote_model(f: HubFile, endpoint: str | None = None, token: str | bool | None = None,
                      session=None) -> tuple[GGUFModel, int]:
    """The validated header(s) of a Hub file (all shards of a split model) and the bytes fetched."""
    from huggingface_hub.utils import build_hf_headers

    _require_online()
    headers = build_hf_headers(token=token)
    m = SPLIT_RE.match(f.filename.rsplit("/", 1)[-1])
    names = [f.filename]
    if m:
        count = int(m.group("count"))
        if not 1 <= count <= 9999:
            raise impossible_shards(f.filename, count)
        prefix = f.filename[: len(f.filename) - len(m.group(0))] + m.group("base")
        names = [f"{prefix}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]
    shards, fetched = [], 0
    for name in names:
        src = HTTPRangeSource(hub_url(HubFile(f.repo_id, name, f.revision), endpoint), headers, session)
        try:
            h = read_header(src, max_header=MAX_REMOTE_HEADER)
        except GGUFError as exc:
            raise (in_shard(name, exc) if len(names) > 1 else GGUFError(said(exc))) from None
        fetched += src.fetched
        shards.append(h)
    return assemble(shards, [f"hf://{f.repo_id}/{n}" for n in names]), fetched
