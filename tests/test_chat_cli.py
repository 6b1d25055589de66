"""``hearth chat`` as a user runs it: a real process, the engine process behind it, SmolLM2 and Gemma 3."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def hearth(args, home: Path, extra_env=None, timeout=120):
    env = dict(os.environ, HEARTH_HOME=str(home), **(extra_env or {}))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "chat", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def test_streams_a_reply_and_json_has_the_stats(starter_model, gemma_model, hearth_home):
    r = hearth([str(starter_model), "Name three colors.", "--max-tokens", "24", "--temperature", "0",
                "--threads", "1", "--ctx", "512"], hearth_home)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() and r.stdout.endswith("\n")
    for model in (starter_model, gemma_model):
        r = hearth([str(model), "Say hello.", "--system", "You are brief.", "--max-tokens", "8", "--json",
                    "--seed", "3"], hearth_home)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout.strip().splitlines()[-1])
        assert set(out["stats"]) >= {"completion_tokens", "tokens_per_s", "ttft_s", "stop_reason"}
        assert 0 < out["stats"]["completion_tokens"] <= 8 and out["stats"]["tokens_per_s"] > 0
        assert out["stats"]["stop_reason"] in ("end", "length") and isinstance(out["text"], str)


def test_a_library_name_works(installed_starter, hearth_home):
    r = hearth([installed_starter.stem, "Hi", "--max-tokens", "4", "--json"], hearth_home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["model"] == str(installed_starter)


@pytest.mark.parametrize("args,says", [
    (["/no/such/model.gguf", "hi"], "no model file or library model named"),
    (["{bad}", "hi"], "not a usable GGUF model"),
    (["{starter}", "{long}", "--ctx", "256"], "the message is too long"),
    (["{starter}", "hi", "--max-tokens", "0"], "--max-tokens must be at least 1"),
    (["{starter}", "hi", "--temperature", "-1"], "--temperature must be between 0 and 5"),
    (["{starter}", "hi", "--repeat-penalty", "0"], "--repeat-penalty must be between 0.5 and 2"),
    (["{starter}", "   "], "the message is empty"),
])
def test_bad_input_is_one_line_and_exit_2(starter_model, hearth_home, tmp_path, args, says):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + os.urandom(100))
    args = [a.format(bad=bad, starter=starter_model, long="word " * 400) for a in args]
    r = hearth(args, hearth_home)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hearth chat: ") and says in lines[0], r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_an_engine_crash_is_one_line_and_exit_1(starter_model, hearth_home):
    r = hearth([str(starter_model), "Tell a story.", "--max-tokens", "50"], hearth_home,
               {"HEARTH_ENGINE_FAULT": "stream:ggml_abort"})
    assert r.returncode == 1
    assert "GGML_ASSERT(hearth test hook) failed" in r.stderr and "SIGABRT" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout.strip()  # the text before the crash was printed


def test_ctrl_c_stops_the_reply_and_exits_130(starter_model, hearth_home):
    """Ctrl+C in a terminal signals the whole foreground process group: the reply stops, the command exits 130
    without a traceback or an engine-crash message. (The engine process runs in a session of its own, so the
    signal reaches only the command, which cancels the reply.)"""
    import signal
    import time

    env = dict(os.environ, HEARTH_HOME=str(hearth_home))
    p = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "chat", str(starter_model),
                          "Tell me a very long story about a river.", "--max-tokens", "2000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, start_new_session=True)
    try:
        first = p.stdout.read(1)  # the reply has started
        assert first
        time.sleep(0.3)
        os.killpg(p.pid, signal.SIGINT)  # what the terminal does on Ctrl+C
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, err.decode()
    assert b"engine stopped" not in err and b"Traceback" not in err
