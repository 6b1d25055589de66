"""``hearth chat --backend URL MODEL "message"`` as a user runs it (a real process) against the fault server:
the reply streamed, ``--json`` with the same shape as a local reply, the key from ``--api-key`` or
``HEARTH_BACKEND_KEY``, a busy server retried and said on stderr; every failure one clear line on stderr with a
non-zero exit and no traceback: refused, wrong model, wrong key, a cut stream, a public host without
``--public``, a public host in Offline mode, a bad address."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fault_backend import FaultBackend, Faults

ROOT = Path(__file__).resolve().parents[3]
REPLY = "Hello from the fault server, one token at a time."


def hearth(args, home: Path, env=None):
    e = {k: v for k, v in os.environ.items() if k != "HEARTH_BACKEND_KEY"}  # only the key a test gives
    e.update(HEARTH_HOME=str(home), **(env or {}))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "chat", *args], capture_output=True, text=True,
                          env=e, timeout=60, cwd=ROOT)


def one_line_failure(r, code=1):
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hearth chat: ") and "Traceback" not in r.stderr, r.stderr
    return lines[0]


@pytest.fixture
def fault():
    with FaultBackend() as fb:
        yield fb


def test_a_reply_from_a_backend(fault, hearth_home):
    r = hearth(["--backend", fault.url + "/v1", "fault-model", "Hi", "--temperature", "0.3", "--max-tokens", "50"],
               hearth_home)
    assert r.returncode == 0, r.stderr
    assert r.stdout == REPLY + "\n"
    body = [x for x in fault.requests if x["path"] == "/v1/chat/completions"][-1]["body"]
    assert body["temperature"] == 0.3 and body["max_tokens"] == 50 and body["messages"][-1]["content"] == "Hi"
    r = hearth(["--backend", fault.url, "fault-model", "Hi", "--json"], hearth_home)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["text"] == REPLY and out["model"] == "fault-model" and out["backend"] == fault.url
    assert out["stats"]["completion_tokens"] == 10 and out["stats"]["stop_reason"] == "end"
    # every request is in the network log, as in the window
    log = [json.loads(x) for x in (hearth_home / "data" / "network_log.jsonl").read_text().splitlines()]
    assert sum(1 for x in log if x["path"] == "/v1/chat/completions" and x["status"] == 200) == 2


def test_keys_and_a_busy_server(fault, hearth_home):
    fault.api_key = "sesame"
    line = one_line_failure(hearth(["--backend", fault.url, "fault-model", "Hi"], hearth_home))
    assert "API key" in line and "401" in line
    r = hearth(["--backend", fault.url, "fault-model", "Hi", "--api-key", "sesame"], hearth_home)
    assert r.returncode == 0 and r.stdout.strip() == REPLY
    fault.faults = Faults(status={"/v1/chat/completions": (429, 1)})
    r = hearth(["--backend", fault.url, "fault-model", "Hi"], hearth_home, {"HEARTH_BACKEND_KEY": "sesame"})
    assert r.returncode == 0 and r.stdout.strip() == REPLY
    assert "busy" in r.stderr and "Trying again in 1 s" in r.stderr  # said, then retried


def test_failures_are_one_line(fault, hearth_home):
    line = one_line_failure(hearth(["--backend", fault.url, "no-such-model", "Hi"], hearth_home))
    assert "does not serve no-such-model" in line and "fault-model" in line
    fault.faults = Faults(cut_after=2)
    r = hearth(["--backend", fault.url, "fault-model", "Hi"], hearth_home)
    assert r.returncode == 1 and r.stdout == "Hello from \n"  # what arrived was written
    assert r.stderr.count("\n") == 1 and "ended in the middle of the reply" in r.stderr
    fault.faults = Faults()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert "connection refused" in one_line_failure(hearth(["--backend", f"127.0.0.1:{port}", "m", "Hi"],
                                                           hearth_home))
    line = one_line_failure(hearth(["--backend", "http://93.184.216.34:8080", "m", "Hi"], hearth_home), 2)
    assert "on the internet" in line and "--public" in line
    (hearth_home / "config").mkdir(exist_ok=True)
    (hearth_home / "config" / "settings.json").write_text(json.dumps({"offline_mode": True}))
    line = one_line_failure(hearth(["--backend", "http://93.184.216.34:8080", "m", "Hi", "--public"],
                                   hearth_home), 2)
    assert "Offline mode is on" in line
    # Offline mode blocks the internet, not a server on this machine the user named
    r = hearth(["--backend", fault.url, "fault-model", "Hi"], hearth_home)
    assert r.returncode == 0 and r.stdout.strip() == REPLY
    assert "http:// or https://" in one_line_failure(hearth(["--backend", "ftp://x", "m", "Hi"], hearth_home), 2)
