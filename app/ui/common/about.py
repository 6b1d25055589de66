"""The About dialog: version, the llama.cpp build Hearth runs on, Qt, where the data lives, licences.

Open it with ``show_about(parent)``. Everything shown comes from the running program: the version from
``app.__version__`` (the one source of truth, also behind ``hearth --version``), the backend from
``app.core.hardware.backend_info`` (computed once, on the shared background runner, since importing llama_cpp
loads the native libraries), the folders from ``app.paths.resolve_paths()``.
"""
from __future__ import annotations

import html
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTextBrowser,
                               QVBoxLayout, QWidget)

from app import APP_NAME, __version__
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.tasks import shared_runner

# (component, licence) for what a Hearth bundle ships; the licence texts travel in the bundle's metadata
LICENSES: list[tuple[str, str]] = [
    (APP_NAME, "Apache-2.0"),
    (QT_TRANSLATE_NOOP("AboutDialog", "Qt 6 and PySide6 (PySide6-Essentials)"),
     QT_TRANSLATE_NOOP("AboutDialog", "LGPL-3.0 (dynamically linked, unmodified)")),
    ("llama.cpp / ggml", "MIT"),
    ("llama-cpp-python", "MIT"),
    ("huggingface_hub", "Apache-2.0"),
    ("markdown-it-py", "MIT"),
    ("pypdf", "BSD-3-Clause"),
    ("platformdirs", "MIT"),
    ("keyring", "MIT"),
    ("psutil", "BSD-3-Clause"),
    (QT_TRANSLATE_NOOP("AboutDialog", "numpy (with OpenBLAS)"), "BSD-3-Clause"),
    ("Jinja2", "BSD-3-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("cryptography", QT_TRANSLATE_NOOP("AboutDialog", "Apache-2.0 or BSD-3-Clause")),
    ("ICU", "Unicode-3.0"),
    ("Python", "PSF-2.0"),
]


def licenses_dir() -> Path:
    """Where the licence texts are: ``licenses/`` in an installed bundle, ``packaging/licenses`` in the source."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", "")) / "licenses"
    return Path(__file__).resolve().parents[3] / "packaging" / "licenses"

_summary: dict[str, Any] | None = None
_summary_lock = threading.Lock()


def backend_summary_cached() -> dict[str, Any]:
    """``app.core.hardware.backend_info.backend_summary()``, computed once per process (the libraries do not change)."""
    global _summary
    with _summary_lock:
        if _summary is None:
            try:
                from app.core.hardware.backend_info import backend_summary

                _summary = backend_summary()
            except Exception as exc:  # a broken llama.cpp install must still let the dialog open
                _summary = {"error": f"{type(exc).__name__}: {exc}"}
            else:
                try:
                    from app.core.engine import probe as engine_probe

                    _summary["engine_config"] = engine_probe.ensure().describe()
                except Exception as exc:
                    _summary["engine_config"] = translate("AboutDialog", "not checked ({error})").format(
                        error=f"{type(exc).__name__}: {exc}")
        return _summary


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _folders_html() -> str:
    from app.paths import resolve_paths

    p = resolve_paths()
    rows = [(translate("AboutDialog", "Settings"), p.settings_file),
            (translate("AboutDialog", "Models"), p.default_models_dir), (translate("AboutDialog", "Chats"), p.chats_db),
            (translate("AboutDialog", "Log file"), p.log_file)]
    return "".join(f"<tr><td>{_esc(k)}</td><td><code>{_esc(v)}</code></td></tr>" for k, v in rows)


def backend_html(summary: dict[str, Any]) -> str:
    if "error" in summary:
        return "<p>" + translate("AboutDialog", "llama.cpp could not be loaded: {error}").format(
            error=_esc(summary["error"])) + "</p>"
    from app.core.hardware.backend_info import describe

    devices = "".join(
        f"<li>{_esc(d['name'])}: {_esc(d['description'])} ({_esc(d['type'])})</li>"
        for d in summary.get("devices", []))
    offload = translate("AboutDialog", "llama-cpp-python {version}, GPU offload supported in this build") \
        if summary.get("gpu_offload") else \
        translate("AboutDialog", "llama-cpp-python {version}, GPU offload not supported in this build")
    config = translate("AboutDialog", "Configuration: {config}").format(
        config=_esc(summary["engine_config"])) if summary.get("engine_config") else ""
    return (f"<p><b>{_esc(describe(summary))}</b><br>"
            + offload.format(version=_esc(summary.get("llama_cpp_python"))) + "</p>"
            + (f"<ul>{devices}</ul>" if devices else "")
            + (f"<p>{config}</p>" if config else "")
            + f"<p><small><code>{_esc(summary.get('system_info', ''))}</code></small></p>")


class AboutDialog(QDialog):
    """Name, version, llama.cpp backend, Qt version, data folders and licences. Read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("AboutDialog", "About {app}").format(app=APP_NAME))
        self.setMinimumSize(560, 520)
        lay = QVBoxLayout(self)

        head = QHBoxLayout()
        icon = QLabel()
        app_icon = QGuiApplication.windowIcon()
        if not app_icon.isNull():
            icon.setPixmap(app_icon.pixmap(64, 64))
        head.addWidget(icon)
        self.title = QLabel(self._title_html())
        self.title.setAccessibleName(translate("AboutDialog", "About title"))
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        head.addWidget(self.title, 1)
        lay.addLayout(head)

        self.details = QTextBrowser()
        self.details.setAccessibleName(translate("AboutDialog", "About details"))
        self.details.setOpenExternalLinks(False)
        lay.addWidget(self.details, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = QPushButton(translate("AboutDialog", "Copy"))
        self.copy_button.setAccessibleName(translate("AboutDialog", "Copy details"))
        self.copy_button.setToolTip(translate("AboutDialog", "Copy these details, e.g. for a bug report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

        self.backend: dict[str, Any] | None = _summary  # already known: no thread needed
        self._render()
        self._token = 0
        if self.backend is None:  # the process-long runner: this dialog may close before the check ends
            runner = shared_runner()
            runner.done.connect(self._on_backend)
            self._token = runner.submit(backend_summary_cached)

    def _on_backend(self, token: int, summary: object) -> None:
        if token == self._token and isinstance(summary, dict):
            self.backend = summary
            self._render()

    @staticmethod
    def _title_html() -> str:
        return (f"<h2>{APP_NAME} {_esc(__version__)}</h2><p>"
                + translate("AboutDialog", "Run small language models on your own computer, fully offline.")
                + "</p>")

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "_token"):
            self.setWindowTitle(translate("AboutDialog", "About {app}").format(app=APP_NAME))
            self.title.setText(self._title_html())
            self._render()

    def _render(self) -> None:
        backend = backend_html(self.backend) if self.backend is not None else \
            "<p>" + translate("AboutDialog", "Checking llama.cpp…") + "</p>"
        licences = "".join("<tr><td>" + _esc(translate("AboutDialog", n)) + "</td><td>"
                           + _esc(translate("AboutDialog", lic)) + "</td></tr>" for n, lic in LICENSES)
        frozen = translate("AboutDialog", "installed bundle") if getattr(sys, "frozen", False) else \
            translate("AboutDialog", "from source")
        version = translate("AboutDialog", "Version")
        data = translate("AboutDialog", "Your data")
        licence_title = translate("AboutDialog", "Licences")
        full_texts = translate("AboutDialog", "Full licence texts: {path}").format(
            path=f"<code>{_esc(licenses_dir())}</code>")
        never = translate("AboutDialog", "Hearth never sends your chats or models anywhere.")
        self.details.setHtml(
            f"<h3>{version}</h3><p>{APP_NAME} {_esc(__version__)} ({frozen}); Python "
            f"{_esc(sys.version.split()[0])}; Qt {_esc(qVersion())}; PySide6 {_esc(PYSIDE_VERSION)}</p>"
            f"<h3>llama.cpp</h3>{backend}"
            f"<h3>{data}</h3><table cellspacing='4'>{_folders_html()}</table>"
            f"<h3>{licence_title}</h3><table cellspacing='4'>{licences}</table>"
            f"<p>{full_texts}</p>"
            f"<p><small>{never}</small></p>")

    def plain_text(self) -> str:
        return self.title.text().replace("<h2>", "").split("</h2>")[0] + "\n" + self.details.toPlainText()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.plain_text())


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About dialog (modeless, deleted on close) and return it."""
    dlg = AboutDialog(parent)
    dlg.setAttribute(Qt.WA_DeleteOnClose, True)
    dlg.show()  # a new top-level window: the window manager raises and focuses it
    return dlg
