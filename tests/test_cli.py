import json
import os
import subprocess
import sys
from pathlib import Path

from app import __version__

ROOT = Path(__file__).resolve().parent.parent


def run(args, env_extra=None, timeout=120):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def test_version():
    r = run(["--version"])
    assert r.returncode == 0 and r.stdout.strip() == f"Hearth {__version__}"


def test_self_test_prints_json_with_tokens(installed_starter, hearth_home):
    r = run(["--self-test"], {"HEARTH_HOME": str(hearth_home)})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["ok"] is True and out["tokens"] > 0 and out["text"].strip()
    assert out["architecture"] == "llama"


def test_self_test_without_model_fails_with_one_clear_line(hearth_home):
    r = run(["--self-test"], {"HEARTH_HOME": str(hearth_home)})
    assert r.returncode == 1
    out = json.loads(r.stdout.strip())
    assert out["ok"] is False and "starter model is not installed" in out["error"]
    assert "Traceback" not in r.stderr
