"""Start the GUI: paths, settings, logging, Qt message routing, crash dialog, theme, main window."""
from __future__ import annotations

import logging
import os
import sys
import traceback

from app import APP_NAME, __version__
from app.logs import setup_logging, tail
from app.ui.common.i18n import install_language, language_for, translate
from app.ui.context import AppContext, make_context, resource_path  # noqa: F401 (the GUI's entry points)

log = logging.getLogger("hearth.ui")
qt_log = logging.getLogger("hearth.qt")

def _qt_message_handler(mode, context, message) -> None:
    from PySide6.QtCore import QtMsgType

    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.INFO)
    qt_log.log(level, "%s", message)


def install_qt_message_handler() -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_qt_message_handler)


def install_excepthook() -> None:
    """Uncaught exceptions: log the traceback and show a dialog; the app keeps running."""

    def hook(exc_type, exc, tb) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("uncaught exception:\n%s", text)
        if issubclass(exc_type, KeyboardInterrupt):
            return
        try:
            from PySide6.QtCore import QThread, QTimer
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            if app is None:
                return
            if QThread.currentThread() is app.thread():
                show_error_dialog(exc_type, exc, text)
            else:
                QTimer.singleShot(0, app, lambda: show_error_dialog(exc_type, exc, text))
        except Exception:
            pass

    sys.excepthook = hook


_dialog_open = False


def show_error_dialog(exc_type, exc, text: str) -> None:
    global _dialog_open
    if _dialog_open:
        return
    from PySide6.QtWidgets import QMessageBox

    _dialog_open = True
    try:
        box = QMessageBox()
        box.setIcon(QMessageBox.Critical)
        box.setWindowTitle(translate("ErrorDialog", "{app}: unexpected error").format(app=APP_NAME))
        box.setText(translate("ErrorDialog", "Something went wrong: {error}").format(
            error=f"{exc_type.__name__}: {exc}"))
        box.setInformativeText(translate("ErrorDialog", "Hearth keeps running. The details were written to the "
                                         "log file; if this keeps happening, please report it with the details "
                                         "below."))
        box.setDetailedText(text + "\n--- recent log ---\n" + tail.text()[-8000:])
        box.exec()
    finally:
        _dialog_open = False


def create_app(argv: list[str] | None = None):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.core.hardware import backend_info

    backend_info.isolate()  # llama.cpp lives in the engine process, never in the window's
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("hearth")
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        png = resource_path("icons", f"hearth-{size}.png")
        if png.exists():
            icon.addFile(str(png))
    svg = resource_path("icons", "hearth.svg")
    if svg.exists():
        icon.addFile(str(svg))
    app.setWindowIcon(icon)
    return app


def run_gui() -> int:
    ctx = make_context()
    setup_logging(ctx.paths.log_file)
    log.info("Hearth %s starting; data in %s", __version__, ctx.paths.data_dir)
    install_qt_message_handler()
    install_excepthook()
    app, win = open_main_window(ctx)
    if os.environ.get("HEARTH_STARTUP_PROBE"):
        _install_startup_probe(app, win)
    code = app.exec()
    log.info("Hearth exiting (%s)", code)
    return code


def open_main_window(ctx):
    """The application and its shown main window, as a start-up makes them (benchmarks use this too)."""
    app = create_app()
    from app.ui.common.theme import apply_theme
    from app.ui.main_window import MainWindow

    apply_theme(app, ctx.settings.theme)
    install_language(language_for(ctx.settings.language))
    win = MainWindow(ctx)
    settle_after_startup()  # before the window shows: its full collection then delays no paint and no click
    win.show()
    return app, win


def settle_after_startup() -> None:
    """The objects made at start-up (modules, Qt wrappers: ~50,000) live as long as the app. Move them out of
    the cyclic garbage collector's way: its full collections scanned them all, 40 ms pauses of the GUI thread."""
    import gc

    gc.collect()
    gc.freeze()


def _install_startup_probe(app, win) -> None:
    """For start-up benchmarks: once the window has been exposed and painted, print a marker line with the
    process's resident memory, then quit. ``HEARTH_STARTUP_PROBE=N`` (N > 1) reports N seconds later instead:
    the idle app, after its background warm-ups."""
    from PySide6.QtCore import QTimer

    try:
        seconds = float(os.environ.get("HEARTH_STARTUP_PROBE", "1"))
    except ValueError:
        seconds = 1.0
    delay_ms = int(seconds * 1000) if seconds > 1 else 0

    def report() -> None:
        try:
            import psutil

            rss = psutil.Process().memory_info().rss
        except Exception:
            rss = -1
        print(f"HEARTH_SHOWN rss={rss}", flush=True)
        win.close()
        app.quit()

    QTimer.singleShot(delay_ms, report)
