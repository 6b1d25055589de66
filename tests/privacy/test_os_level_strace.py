"""The no-network proof at the operating-system level. Python's audit hooks cannot see sockets opened from C++
(Qt, llama.cpp) or Rust (hf_xet), so the whole GUI session runs as a separate process under
``strace -f -e trace=connect,sendto,sendmsg`` (every thread and child process) and the trace must hold no
AF_INET/AF_INET6 address. AF_UNIX (local IPC) would be allowed; the offscreen platform needs none.

A deliberate connection at the end of the session (to a port this test listens on) proves the trace really
sees this process's connections. strace is a system package: ``make test`` installs it (``system-deps``);
without it these tests fail and say how to install it -- they are never skipped.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hub.fixtures import *  # noqa: F401,F403

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "session_driver.py"
CALL_RE = re.compile(r"^(\d+)\s+(?:<\.\.\. )?(connect|sendto|sendmsg)\b(.*)$")


def strace_binary() -> str:
    path = shutil.which("strace")
    if path is None:
        pytest.fail("strace is not installed, so the OS-level no-network proof cannot run. Install it with "
                    "`sudo apt-get install -y strace` (Debian/Ubuntu; `dnf install strace` on Fedora), or run "
                    "`make test` as root, which installs it.", pytrace=False)
    return path


def strace_run(args: list[str], trace: Path, env: dict, timeout: int = 240) -> subprocess.CompletedProcess:
    cmd = [strace_binary(), "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace), *args]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    if "ptrace" in r.stderr.lower() and "not permitted" in r.stderr.lower():
        pytest.fail(f"strace cannot trace here (ptrace is not permitted): {r.stderr.strip()[:300]}. Allow ptrace "
                    "(e.g. kernel.yama.ptrace_scope=0, or run the container with CAP_SYS_PTRACE).", pytrace=False)
    return r


def inet_calls(trace: Path) -> list[str]:
    """Lines of the trace where a connect/sendto/sendmsg names an IPv4 or IPv6 address."""
    out = []
    for line in trace.read_text(errors="replace").splitlines():
        m = CALL_RE.match(line)
        if m and re.search(r"sa_family=AF_INET6?\b", m.group(3)):
            out.append(line)
    return out


def all_calls(trace: Path) -> list[str]:
    return [line for line in trace.read_text(errors="replace").splitlines() if CALL_RE.match(line)]


@pytest.fixture
def control_listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    yield s
    s.close()


def test_whole_gui_session_opens_no_inet_socket(installed_starter, hearth_home, tmp_path, control_listener):
    port = control_listener.getsockname()[1]
    trace = tmp_path / "connect.trace"
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), QT_QPA_PLATFORM="offscreen")
    r = strace_run([sys.executable, str(DRIVER), str(tmp_path), str(port)], trace, env)
    assert r.returncode == 0, r.stderr[-3000:]
    facts = json.loads(next(l for l in r.stdout.splitlines() if l.startswith("SESSION "))[8:])
    assert facts["reply"] and facts["about_shown"] and not facts["html_has_img"]
    calls = inet_calls(trace)
    # exactly one: the deliberate control connection after the session; nothing else, from any thread
    assert len(calls) == 1 and f"sin_port=htons({port})" in calls[0], "\n".join(calls)
    others = [c for c in all_calls(trace) if c not in calls]
    assert not any("AF_INET" in c for c in others)
    log = (hearth_home / "logs" / "hearth.log").read_text(encoding="utf-8")
    assert "loaded SmolLM2" in log  # the session really ran, with logging on


def test_offline_cli_opens_no_inet_socket(hub, hearth_home, tmp_path):
    from app.settings import Settings

    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    Settings(offline_mode=True, hub_endpoint=hub.url).save(hearth_home / "config" / "settings.json")
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.pop("HF_ENDPOINT", None)
    hub.reset_counters()
    for i, args in enumerate((["download", "acme/Tiny-Chat-GGUF", "tiny-chat-Q2_K.gguf"],
                              ["fit", "hf://acme/Tiny-Chat-GGUF/tiny-chat-Q2_K.gguf"])):
        trace = tmp_path / f"cli{i}.trace"
        r = strace_run([sys.executable, str(ROOT / "main.py"), *args], trace, env, timeout=120)
        assert r.returncode == 1 and "Offline mode is on" in r.stderr, r.stderr
        assert inet_calls(trace) == []
    assert hub.requests == []


def test_the_trace_parser_sees_a_real_connection(hub, tmp_path):
    """Positive control for the parser and strace: an online request to the loopback Hub shows up."""
    trace = tmp_path / "online.trace"
    code = f"import urllib.request; urllib.request.urlopen({hub.url + '/api/models'!r}, timeout=5).read()"
    r = strace_run([sys.executable, "-c", code], trace, dict(os.environ))
    assert r.returncode == 0, r.stderr
    port = hub.url.rsplit(":", 1)[1]
    assert any(f"htons({port})" in c for c in inet_calls(trace))
