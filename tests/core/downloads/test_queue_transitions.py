"""The download queue's transitions (app/core/downloads/queue.py: DownloadQueue), shared by the Models page and
``hearth download``: unit tests of the state machine, and `hearth download` through it against the test Hub."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.downloads.queue import (ACTIVE, CANCELLED, DONE, FAILED, PAUSED, QUEUED, DownloadQueue)
from app.core.hub import UnsafeNameError
from app.core.hub.errors import HubError
from tests.hub.fixtures import *  # noqa: F401,F403 (the hub fixture)

ROOT = Path(__file__).resolve().parents[3]


def test_transitions_and_what_starts_next(tmp_path):
    q = DownloadQueue(tmp_path, parallelism=2)
    a, new = q.add("acme/A-GGUF", "a.gguf")
    assert new and a.state == QUEUED
    assert q.add("acme/A-GGUF", "a.gguf") == (a, False)  # already queued: the same item
    b, _ = q.add("acme/A-GGUF", "b.gguf")
    c, _ = q.add("acme/A-GGUF", "c.gguf")
    assert q.to_start() == [a, b]  # oldest first, at most `parallelism` running
    q.started(a)
    q.started(b)
    assert a.state == ACTIVE and q.to_start() == []
    q.progressed(a, 10, 100)
    assert (a.done, a.size, a.fraction) == (10, 100, 0.1)
    assert q.pause(a) and a.state == PAUSED and not q.pause(a)  # pausing twice changes nothing
    assert q.to_start() == [c]
    assert not q.resume(b)  # a running download is not "resumed"
    assert q.resume(a) and a.state == QUEUED
    q.finished(b, str(tmp_path / "b.gguf"))
    assert b.state == DONE and b.done == b.size and not q.cancel(b) and not q.restart_from_current(b)
    err = q.failed(c, HubError("auth", "This repository needs a token."))
    assert c.state == FAILED and err.kind == "auth" and c.error_kind == "auth"
    err = q.failed(a, OSError(28, "No space left on device"))  # translated into words with a kind
    assert isinstance(err, HubError) and a.error and a.state == FAILED
    assert q.resume(c) and c.state == QUEUED and c.error == ""
    assert q.cancel(c) and c.state == CANCELLED and c.done == 0
    assert q.remove_finished() and {i.filename for i in q.items} == {"a.gguf"}


def test_cancel_and_restart_discard_the_kept_bytes(tmp_path):
    from app.core.downloads import target_paths

    q = DownloadQueue(tmp_path)
    it, _ = q.add("acme/A-GGUF", "a.gguf", revision="abc123", size=1000, sha256="0" * 64)
    partial = target_paths(tmp_path, "acme/A-GGUF", "a.gguf").partial
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"x" * 300)
    assert DownloadQueue(tmp_path, [it]).items[0].done == 300  # a restart reads what is on disk
    assert q.restart_from_current(it)
    assert (it.revision, it.size, it.sha256, it.done, it.state) == ("main", 0, None, 0, QUEUED)
    assert not partial.exists()
    partial.write_bytes(b"x" * 10)
    assert q.cancel(it) and not partial.exists()


def test_hostile_names_are_refused_when_queued(tmp_path):
    q = DownloadQueue(tmp_path)
    with pytest.raises(UnsafeNameError):
        q.add("acme/A-GGUF", "../../etc/passwd.gguf")
    assert q.items == []


def test_hearth_download_goes_through_the_queue(hub, hearth_home):
    """Two files, one of which the repository does not have: the good one is downloaded and verified, the
    other fails with a sentence (not a traceback), and the exit code says something failed."""
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), HF_ENDPOINT=hub.url, PYTHONPATH=str(ROOT),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    r = subprocess.run([sys.executable, "-m", "app", "download", "--quiet", "acme/Tiny-Chat-GGUF",
                        "tiny-chat-Q2_K.gguf", "no-such-file.gguf", "../escape.gguf"], capture_output=True,
                       text=True, env=env, timeout=120, cwd=ROOT)
    assert r.returncode == 1, r.stderr
    [path] = r.stdout.split()
    assert Path(path).is_file() and Path(path).name == "tiny-chat-Q2_K.gguf"
    assert "Traceback" not in r.stderr
    assert "refused" in r.stderr and "no-such-file.gguf" in r.stderr
