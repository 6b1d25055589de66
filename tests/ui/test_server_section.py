"""The Network page's API server section (issue 14) with a stand-in engine: off by default; turning it on serves
loopback without a key; "serve my network" listens on every address, makes and keeps a key, and then a request
without it gets 401 (with it, 200); a foreign Host header is refused; a listed web origin is allowed; turning it
off closes the port. Real HTTP over 127.0.0.1."""
from __future__ import annotations

import http.client
import json

from tests.core.server.test_api_server_rules import CHAT, FakeBackend, FakeEngine


def post(port: int, headers: dict | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/v1/chat/completions", json.dumps(CHAT), {"Content-Type": "application/json",
                                                                      **(headers or {})})
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status, dict(r.getheaders())


def test_on_off_lan_key_and_origins(qtbot, ctx):
    from app.core.server.keys import get_key
    from app.ui.network.server_control import ServerControl
    from app.ui.network.server_section import ServerSection

    ctx.settings.extra["api_server"] = {"port": 0}
    control = ServerControl(ctx, FakeBackend(FakeEngine()))
    section = ServerSection(control)
    qtbot.addWidget(section)
    assert not section.enabled.isChecked() and not control.running
    section.enabled.setChecked(True)
    port = control.server.port
    assert control.server.config.host == "127.0.0.1" and post(port)[0] == 200
    assert section.address.text() == f"http://127.0.0.1:{port}/v1" and "apps on this computer" in section.status.text()

    section.lan.setChecked(True)  # the whole network: a key is made, kept, and required
    port = control.server.port
    key = get_key(ctx.paths.config_dir)
    assert control.server.config.host == "0.0.0.0" and len(key) >= 16 and control.server.config.api_key == key
    assert key not in (ctx.paths.settings_file.read_text() if ctx.paths.settings_file.exists() else "")
    assert post(port)[0] == 401 and post(port, {"Authorization": f"Bearer {key}"})[0] == 200
    assert post(port, {"Authorization": f"Bearer {key}", "Host": "attacker.example"})[0] == 403
    section.show_key.setChecked(True)
    assert section.key.text() == key
    section.renew.click()
    new = get_key(ctx.paths.config_dir)
    assert new != key and post(control.server.port, {"Authorization": f"Bearer {key}"})[0] == 401

    section.origins.setText("http://localhost:3000")
    section.origins.editingFinished.emit()
    status, headers = post(control.server.port, {"Authorization": f"Bearer {new}", "Origin": "http://localhost:3000"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert ctx.settings.extra["api_server"]["origins"] == ["http://localhost:3000"]

    section.enabled.setChecked(False)
    assert not control.running and "Off" in section.status.text()
    control.shutdown()


def test_no_model_is_a_503_with_retry_after(qtbot):
    from app.core.server import ApiServer, ServerConfig

    class NoModel(FakeBackend):
        def model_path(self):
            return None

    server = ApiServer(ServerConfig(port=0), NoModel(FakeEngine())).start()
    try:
        status, headers = post(server.port)
        assert status == 503 and headers["Retry-After"] == "2"
    finally:
        server.stop()
