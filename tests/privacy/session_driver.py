"""Run one whole GUI session in this process, started the way ``hearth`` starts (paths, settings, logging, Qt
message routing, crash hook, theme, main window), for tests that watch the process from outside (strace).

    HEARTH_HOME=... QT_QPA_PLATFORM=offscreen python tests/privacy/session_driver.py WORK_DIR [CONTROL_PORT]

Prints ``SESSION {json facts}`` at the end. With CONTROL_PORT, it then opens one deliberate TCP connection to
127.0.0.1:CONTROL_PORT, so the watcher can prove it sees connections made by this process.
"""
from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    work = Path(sys.argv[1])
    control = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    from app.logs import setup_logging
    from app.ui.application import create_app, install_excepthook, install_qt_message_handler, make_context
    from app.ui.common.theme import apply_theme
    from app.ui.main_window import MainWindow
    from tests.privacy.session import processing_wait, run_session

    ctx = make_context()
    setup_logging(ctx.paths.log_file)
    install_qt_message_handler()
    install_excepthook()
    app = create_app()
    apply_theme(app, ctx.settings.theme)
    win = MainWindow(ctx)
    win.show()
    wait = processing_wait(app)
    wait(lambda: win.isVisible(), 10000)
    # port 9 (discard): nothing listens; a leak would show as a connect() in the trace either way
    facts = run_session(win, wait, work, 9)
    app.processEvents()
    print("SESSION " + json.dumps(facts), flush=True)
    if control:
        with socket.create_connection(("127.0.0.1", control), timeout=5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
