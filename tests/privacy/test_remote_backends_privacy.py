"""Remote backends keep privacy provable (issue 15), watched by the same audit hook as the no-network session
(every socket, name lookup and connect in this process):

- with Offline mode on and no backend added, opening the Backends tab, the Chat picker and a remote model key
  left in the settings makes zero connections;
- with Offline mode on, a backend on the internet (added earlier, after its confirmation) is refused before any
  socket exists, in words; a backend on this machine the user added stays usable, and every connection goes
  to it and nowhere else;
- a host nobody added is refused even when a remote model key names it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.net import policy
from app.core.remote import Backend, RemoteModel, model_key
from tests.privacy.session import NetAudit, network_events
from tests.support.fault_backend import FaultBackend


def window(ctx, qtbot):
    from app.ui.main_window import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_offline_and_no_backend_is_zero_connections(ctx, qtbot):
    ctx.settings.offline_mode = True
    ctx.settings.last_model = model_key("http://192.168.1.20:8080", "llama3")  # a backend since removed
    audit = NetAudit.get()
    with audit.record() as events:
        win = window(ctx, qtbot)
        win.models_page.tabs.setCurrentWidget(win.models_page.backends)
        page = win.chat_page
        page.refresh_models()
        with qtbot.waitSignal(page.engine.load_failed, timeout=10000) as failed:
            page.engine.load(ctx.settings.last_model, page.load_options())
        assert "no longer in your Backends list" in failed.args[1]
        win.close()
    assert network_events(events) == []


def test_offline_refuses_internet_backends_and_keeps_local_ones(ctx, qtbot):
    with FaultBackend() as fault:
        host, port = fault.url.split("//")[1].split(":")
        ctx.backends.save(Backend(fault.url, models=[RemoteModel("fault-model")]))
        public = Backend("http://93.184.216.34:8080", public=True, models=[RemoteModel("big-model")])
        ctx.backends.save(public)
        ctx.settings.offline_mode = True
        win = window(ctx, qtbot)
        assert policy.is_offline()  # the window applied the saved setting
        page = win.chat_page
        audit = NetAudit.get()
        with audit.record() as events:
            i = page.model_combo.findData(model_key(public.url, "big-model"))
            assert i >= 0 and "93.184.216.34:8080" in page.model_combo.itemText(i)
            page.model_combo.setCurrentIndex(i)
            with qtbot.waitSignal(page.engine.load_failed, timeout=10000) as failed:
                page.load_selected()
            assert "Offline mode is on" in failed.args[1] and "internet" in failed.args[1]
        assert network_events(events) == []  # refused before any socket
        with audit.record() as events:
            i = page.model_combo.findData(model_key(fault.url, "fault-model"))
            page.model_combo.setCurrentIndex(i)
            with qtbot.waitSignal(page.engine.loaded, timeout=10000):
                page.load_selected()
            page.input.setPlainText("Hello")
            with qtbot.waitSignal(page.session.generating_changed, timeout=10000,
                                  check_params_cb=lambda b: b is False):
                qtbot.mouseClick(page.send_button, Qt.LeftButton)
            assert page.model.messages()[-1].state == "done"
        connects = [e for e in network_events(events) if e[0] == "socket.connect"]
        assert connects and all(f"('{host}', {port})" in e[1] for e in connects), connects
        assert not any(e[0] == "socket.getaddrinfo" and host not in e[1] for e in network_events(events))
        win.close()
