"""Download one file from the Hub into the models folder: resumable, retried, verified, never half-entered.

Layout: the finished file is ``<models>/<owner>/<repo>/<file>`` (a plain file other tools can use). While it
downloads it is ``<models>/<owner>/<repo>/.partial/<file>.incomplete`` with a small JSON state next to it
(commit, size, sha256), so a later run -- after a pause, a dropped connection, a full disk or a killed
process -- continues where the bytes stop, from the same commit. A file moves into place only after its
size and sha256 match the Hub's LFS metadata; a mismatch moves it to ``<models>/.quarantine/`` instead.

huggingface_hub provides the pieces: its shared HTTP client (Hearth's, see :mod:`app.core.net`),
``hf_hub_url``, ``get_hf_file_metadata`` (HEAD with ``X-Linked-Size``/``X-Linked-Etag``/``X-Repo-Commit``)
and its request headers. Its own ``hf_hub_download`` is not used for the body because in huggingface_hub 2.x
it writes to a per-process temporary file deleted on failure: it cannot resume after a restart or pause.

Xet: for a file the Hub stores with Xet, ``resolve`` answers 302 with ``X-Xet-Hash``/``X-Xet-Refresh-Route`` and
a ``Location`` on the CAS bridge (cas-bridge.xethub.hf.co), which serves the plain bytes with Range support.
Hearth follows that redirect (what huggingface_hub does when hf_xet is absent) and never calls hf_xet: hf_xet
downloads in Rust with its own HTTP stack, so Offline mode, the host check and the network log could not see
its requests, and its chunk cache resumes differently from the ``.incomplete`` file (tested in
``tests/core/test_downloads.py``).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from app.core import net
from app.core.downloads.file_hash import PipelinedSha256, sha256_of
from app.core.hub.names import safe_relpath, safe_repo_id
from app.core.hub.errors import HubError, from_status
from app.core.hub.errors import translate as hub_error
from app.core.i18n import translate

log = logging.getLogger("hearth.download")

REVISION_GONE = "revision_gone"  # HubError kind: the pinned commit was removed upstream; the file still exists
PARTIAL_DIR = ".partial"
QUARANTINE_DIR = ".quarantine"
DISK_MARGIN = 16 * 1024 * 1024  # keep this much free beyond the file


def downloading(filename: str) -> str:
    """What a download is, for its messages ("Downloading x.gguf: the connection timed out. ...")."""
    return translate("Downloader", "Downloading {file}").format(file=filename)


def retrying(delay: float, error: BaseException) -> str:
    """The status line while a download waits to try again."""
    return translate("Downloader", "Connection problem, retrying in {delay:.0f} s: {error}").format(
        delay=delay, error=error)


class Cancelled(Exception):
    """The download was paused or cancelled (the partial file is kept; the caller decides)."""


@dataclass
class FileTarget:
    repo_id: str
    filename: str
    revision: str = "main"
    size: int | None = None
    sha256: str | None = None


@dataclass
class TargetPaths:
    dest: Path
    partial: Path
    state: Path


def target_paths(models_dir: Path, repo_id: str, filename: str, *, check_links: bool = True) -> TargetPaths:
    """Where a Hub file goes; raises ``UnsafeNameError`` for names that would leave the models folder.
    ``check_links=False`` checks the names only, without resolving symbolic links on disk (for the GUI thread:
    a dozen system calls per file; the download itself always checks)."""
    safe_repo_id(repo_id)
    rel = safe_relpath(filename)
    owner, name = repo_id.split("/")
    repo_dir = models_dir / owner / name
    dest = repo_dir.joinpath(*rel.split("/"))
    root = models_dir.resolve() if check_links else None
    if root is not None and os.path.commonpath([root, dest.resolve()]) != str(root):
        from app.core.hub.names import UnsafeNameError

        raise UnsafeNameError(translate("Downloader", "{file!r} would be written outside the models "
                                                      "folder").format(file=filename))
    partial = repo_dir / PARTIAL_DIR / (rel.replace("/", "__") + ".incomplete")
    return TargetPaths(dest=dest, partial=partial, state=partial.with_name(partial.name + ".json"))


def partial_size(models_dir: Path, repo_id: str, filename: str) -> int:
    try:
        return target_paths(models_dir, repo_id, filename, check_links=False).partial.stat().st_size
    except (OSError, ValueError):
        return 0


def discard_partial(models_dir: Path, repo_id: str, filename: str) -> None:
    p = target_paths(models_dir, repo_id, filename)
    p.partial.unlink(missing_ok=True)
    p.state.unlink(missing_ok=True)


def lfs_metadata(repo_id: str, filename: str, revision: str, *, endpoint: str, token: str | None):
    """(commit, size, sha256) of a file from the Hub's LFS metadata (model info with blobs)."""
    from huggingface_hub import HfApi

    info = HfApi(endpoint=endpoint, token=token or False).model_info(
        repo_id, revision=revision, files_metadata=True, token=token or False)
    for s in info.siblings or []:
        if s.rfilename == filename:
            lfs = s.lfs
            return info.sha, (lfs.size if lfs else s.size), (lfs.sha256 if lfs else None)
    raise HubError("not_found", translate("Downloader", "{file} is not in {repo} on the Hub.").format(
        file=filename, repo=repo_id), 404)


class Downloader:
    """Downloads one file; call :meth:`run` on a worker thread. ``cancel`` is checked per chunk."""

    def __init__(self, models_dir: Path, *, endpoint: str, token: str | None = None,
                 cancel: threading.Event | None = None, on_progress: Callable[[int, int], None] | None = None,
                 on_status: Callable[[str], None] | None = None, retries: int = 6, base_delay: float = 1.0,
                 max_delay: float = 30.0) -> None:
        self.models_dir = models_dir
        self.endpoint = endpoint
        self.token = token
        self.cancel = cancel or threading.Event()
        self.on_progress = on_progress or (lambda done, total: None)
        self.on_status = on_status or (lambda text: None)
        self.retries = retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.bytes_transferred = 0  # body bytes received by this run (for the resume benchmark)

    def run(self, target: FileTarget) -> Path:
        what = downloading(target.filename)
        net.require_online(what)
        paths = target_paths(self.models_dir, target.repo_id, target.filename)
        try:
            with net.purpose("download"):
                return self._run(target, paths, what)
        except (Cancelled, HubError):
            raise
        except Exception as exc:
            raise hub_error(exc, what) from exc

    # ---- steps --------------------------------------------------------------------------------------------
    def _run(self, target: FileTarget, paths: TargetPaths, what: str) -> Path:
        commit, size, sha = self._retrying(lambda: self._metadata(target, paths))
        if paths.dest.is_file() and paths.dest.stat().st_size == size:
            self.on_progress(size, size)
            return paths.dest  # already in the library (files only get there verified)
        paths.partial.parent.mkdir(parents=True, exist_ok=True)
        self._write_state(paths, commit, size, sha)
        have = paths.partial.stat().st_size if paths.partial.exists() else 0
        if have > size:
            paths.partial.unlink()
            have = 0
        self._check_space(paths, size - have)
        self.on_progress(have, size)
        hasher = PipelinedSha256(sha256_of(paths.partial) if have else None)
        try:
            return self._loop(target, paths, what, size, sha, commit, hasher)
        finally:
            hasher.close()

    def _loop(self, target, paths, what, size, sha, commit, hasher) -> Path:
        from huggingface_hub import hf_hub_url

        url = hf_hub_url(target.repo_id, target.filename, revision=commit, endpoint=self.endpoint)
        failures = 0
        while True:
            self._check_cancel()
            have = paths.partial.stat().st_size if paths.partial.exists() else 0
            if have == size:
                break
            try:
                before = self.bytes_transferred
                hasher = self._transfer(url, paths.partial, have, size, hasher)
            except Cancelled:
                raise
            except HubError as exc:
                if not exc.retryable:
                    raise
                err = exc
            except OSError as exc:  # disk errors while writing: keep the partial file
                raise hub_error(exc, what) from exc
            except Exception as exc:  # network errors: retried with backoff
                err = hub_error(exc, what)
                if not err.retryable:
                    raise err from exc
            else:
                continue
            failures = 0 if self.bytes_transferred > before else failures + 1
            if failures > self.retries:
                raise err
            delay = min(self.max_delay, self.base_delay * (2 ** max(0, failures - 1)))
            self.on_status(retrying(delay, err))
            log.warning("%s; retry %d in %.1f s", err, failures, delay)
            if self.cancel.wait(delay):
                raise Cancelled()
        return self._finish(target, paths, size, sha, hasher.hexdigest())

    def _retrying(self, fn):
        """Run ``fn``, retrying network and server errors with exponential backoff (cancel-aware)."""
        failures = 0
        while True:
            try:
                return fn()
            except HubError as exc:
                failures += 1
                if not exc.retryable or failures > self.retries:
                    raise
                delay = min(self.max_delay, self.base_delay * (2 ** (failures - 1)))
                self.on_status(retrying(delay, exc))
                if self.cancel.wait(delay):
                    raise Cancelled() from None

    def _metadata(self, target: FileTarget, paths: TargetPaths) -> tuple[str, int, str | None]:
        from huggingface_hub import get_hf_file_metadata, hf_hub_url

        state = self._read_state(paths)
        commit, size, sha = state.get("commit"), state.get("size"), state.get("sha256")
        if not (commit and size and sha):
            if target.sha256 and target.size:
                commit, size, sha = target.revision, target.size, target.sha256
            else:
                try:
                    with net.purpose("repository"):
                        commit, size, sha = lfs_metadata(target.repo_id, target.filename, target.revision,
                                                         endpoint=self.endpoint, token=self.token)
                except HubError:
                    raise
                except Exception as exc:
                    raise hub_error(exc, downloading(target.filename)) from exc
        try:
            with net.purpose("file metadata"):
                meta = get_hf_file_metadata(hf_hub_url(target.repo_id, target.filename, revision=commit,
                                                       endpoint=self.endpoint),
                                            token=self.token or False, endpoint=self.endpoint,
                                            retry_on_errors=False)  # our own backoff, see _retrying
        except Exception as exc:
            from huggingface_hub.errors import RevisionNotFoundError

            if isinstance(exc, RevisionNotFoundError) and self._exists_now(target):
                gone = translate("Downloader", "The version of {file} this download started from ({commit}) is no "
                                               "longer on the Hub: the repository was rewritten. Restart the "
                                               "download from the current version.").format(
                    file=target.filename, commit=commit[:10])
                raise HubError(REVISION_GONE, gone, 404) from exc
            raise hub_error(exc, downloading(target.filename)) from exc
        commit = meta.commit_hash or commit
        if meta.size is not None and size is not None and meta.size != size:
            raise HubError("verify", translate("Downloader", "The Hub reports two sizes for {file} ({size} and "
                                                             "{other}); Hearth will not download it.").format(
                file=target.filename, size=meta.size, other=size))
        size = int(size if size is not None else meta.size or 0)
        if not sha and meta.etag and len(meta.etag) == 64:
            sha = meta.etag  # for LFS files the linked ETag is the sha256
        if not sha:
            raise HubError("verify", translate("Downloader", "The Hub gives no sha256 for {file}, so Hearth cannot "
                                                             "verify it.").format(file=target.filename))
        return commit, size, sha.lower()

    def _exists_now(self, target: FileTarget) -> bool:
        """Whether the file is in the repository's current version (its default branch)."""
        from huggingface_hub import get_hf_file_metadata, hf_hub_url

        try:
            with net.purpose("file metadata"):
                get_hf_file_metadata(hf_hub_url(target.repo_id, target.filename, endpoint=self.endpoint),
                                     token=self.token or False, endpoint=self.endpoint, retry_on_errors=False)
        except Exception:
            return False
        return True

    def _read_state(self, paths: TargetPaths) -> dict:
        try:
            state = json.loads(paths.state.read_text(encoding="utf-8"))
            return state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_state(self, paths: TargetPaths, commit: str, size: int, sha: str) -> None:
        old = self._read_state(paths)
        if old and (old.get("sha256") != sha or old.get("size") != size):
            paths.partial.unlink(missing_ok=True)  # the file changed upstream: the old bytes are useless
        paths.state.write_text(json.dumps({"commit": commit, "size": size, "sha256": sha}), encoding="utf-8")

    def _check_space(self, paths: TargetPaths, remaining: int) -> None:
        free = shutil.disk_usage(paths.partial.parent).free
        if free < remaining + DISK_MARGIN:
            from app.core.units import human_bytes

            raise HubError("disk_full", translate("Downloader", "Not enough free disk space in {folder}: the "
                                                                "download needs {need} more and only {free} is "
                                                                "free. The partial file is kept; free some space "
                                                                "and resume.").format(
                folder=self.models_dir, need=human_bytes(remaining), free=human_bytes(free)))

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def _transfer(self, url: str, partial: Path, have: int, size: int, hasher):
        from huggingface_hub.utils import build_hf_headers

        headers = build_hf_headers(token=self.token or False)
        headers["Accept-Encoding"] = "identity"
        if have:
            headers["Range"] = f"bytes={have}-"
        with net.session().stream("GET", url, headers=headers, follow_redirects=True) as r:
            if r.status_code == 416 and have:
                paths_restart = True
            else:
                paths_restart = False
                if r.status_code >= 400:
                    raise from_status(r.status_code, downloading(partial.name[:-11]))
            if paths_restart or (have and r.status_code == 200) or (
                    have and not r.headers.get("content-range", "").startswith(f"bytes {have}-")):
                have = 0  # the server did not continue where we stopped: start over
                hasher.reset()
                open(partial, "wb").close()
                if paths_restart:
                    return hasher
            mode = "ab" if have else "wb"
            with open(partial, mode, buffering=0) as f:
                done = have
                last = 0.0
                for chunk in r.iter_raw():
                    if self.cancel.is_set():
                        raise Cancelled()
                    if done + len(chunk) > size:
                        raise HubError("verify", translate("Downloader", "The server sent more bytes than the "
                                                                         "file's size ({size}).").format(size=size))
                    f.write(chunk)
                    hasher.update(chunk)
                    done += len(chunk)
                    self.bytes_transferred += len(chunk)
                    now = time.monotonic()
                    if now - last >= 0.05 or done == size:
                        self.on_progress(done, size)
                        last = now
        return hasher

    def _finish(self, target: FileTarget, paths: TargetPaths, size: int, sha: str, got: str) -> Path:
        actual = paths.partial.stat().st_size
        if actual != size or got != sha:
            q = quarantine(self.models_dir, paths.partial, target.repo_id, target.filename)
            paths.state.unlink(missing_ok=True)
            if actual != size:
                msg = translate("Downloader", "{file} failed verification (its size is {actual} bytes, expected "
                                              "{size}). It was moved to quarantine ({path}) and will not be loaded. "
                                              "Retry to download it again.").format(
                    file=target.filename, actual=actual, size=size, path=q)
            else:
                msg = translate("Downloader", "{file} failed verification (its sha256 is {actual}, expected {sha}). "
                                              "It was moved to quarantine ({path}) and will not be loaded. Retry to "
                                              "download it again.").format(
                    file=target.filename, actual=got, sha=sha, path=q)
            raise HubError("verify", msg)
        paths.dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(paths.partial, paths.dest)
        paths.state.unlink(missing_ok=True)
        try:
            paths.partial.parent.rmdir()  # only when empty
        except OSError:
            pass
        log.info("downloaded and verified %s/%s (%d bytes)", target.repo_id, target.filename, size)
        return paths.dest


def quarantine(models_dir: Path, path: Path, repo_id: str, filename: str) -> Path:
    qdir = models_dir / QUARANTINE_DIR / repo_id.replace("/", "__")
    qdir.mkdir(parents=True, exist_ok=True)
    dest = qdir / (filename.replace("/", "__") + f".{int(time.time())}.bad")
    os.replace(path, dest)
    return dest


def state_dict(t: FileTarget) -> dict:
    return asdict(t)
