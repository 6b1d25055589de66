"""Shared fixtures. Qt runs offscreen; every test gets its own HEARTH_HOME so nothing touches real folders."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# a 1920x1200 offscreen screen (Qt's default offscreen screen is 800x800, smaller than a real desktop)
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = (
        "offscreen:configfile=" + str(Path(__file__).resolve().parent / "support" / "offscreen_screen.json"))
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app sets it (app/cli.py)
# the engine probe's answer is a fact of this machine and build: one probe for the whole run (and the processes
# tests start), not one per test's HEARTH_HOME. Tests of the probe itself point this elsewhere.
if "HEARTH_PROBE_CACHE" not in os.environ:
    import tempfile as _tempfile

    os.environ["HEARTH_PROBE_CACHE"] = os.path.join(_tempfile.mkdtemp(prefix="hearth-test-probe-"), "probe.json")

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTER_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
GEMMA_NAME = "gemma-3-270m-q4_k_m.gguf"


def models_cache_dir() -> Path:
    return Path(os.environ.get("HEARTH_TEST_MODELS", ROOT / ".cache" / "models"))


def _model(name: str) -> Path:
    p = models_cache_dir() / name
    if not p.is_file():
        pytest.fail(f"test model {p} is missing: run `make test` (it fetches the models) "
                    f"or `make models`", pytrace=False)
    return p


@pytest.fixture(scope="session")
def starter_model() -> Path:
    return _model(STARTER_NAME)


@pytest.fixture(scope="session")
def gemma_model() -> Path:
    return _model(GEMMA_NAME)


@pytest.fixture
def hearth_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "hearth_home"
    home.mkdir()
    monkeypatch.setenv("HEARTH_HOME", str(home))
    return home


@pytest.fixture
def installed_starter(hearth_home, starter_model) -> Path:
    """The starter model placed in the test HEARTH_HOME's models folder (hard link when possible)."""
    from app.starter import STARTER, models_dir_path

    dest = models_dir_path(hearth_home / "data" / "models", STARTER)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(starter_model, dest)
    except OSError:
        shutil.copyfile(starter_model, dest)
    return dest


@pytest.fixture
def ctx(hearth_home):
    from app.ui.application import make_context

    return make_context()


@pytest.fixture(autouse=True)
def fresh_network_policy():
    """Offline mode and the allowed backend hosts are process-wide: each test starts online with none allowed."""
    yield
    from app.core.net import policy

    policy.set_offline(False)
    policy.set_backend_hosts([])


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog must never hang the test run: record it and answer with the default."""
    shown: list[tuple[str, str]] = []
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:  # core-only environments
        yield shown
        return

    def fake(kind, default):
        def _f(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return default
        return staticmethod(_f)

    monkeypatch.setattr(QMessageBox, "question", fake("question", QMessageBox.Yes))
    monkeypatch.setattr(QMessageBox, "warning", fake("warning", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "critical", fake("critical", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "information", fake("information", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(("exec", self.text())) or QMessageBox.Ok)
    yield shown


@pytest.fixture
def main_window(qtbot, ctx):
    from app.ui.application import create_app
    from app.ui.common.theme import apply_theme
    from app.ui.main_window import MainWindow

    app = create_app()
    apply_theme(app, "light")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
