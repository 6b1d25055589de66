"""Remote header reads over HTTP Range against a real HTTP server on 127.0.0.1 that counts what it sends."""
from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path

import pytest

from app.core.gguf.header import GGUFError, read_model_file
from app.core.gguf.remote import HubFile, RemoteError, parse_hf_uri, read_remote_model
from tests.support.synth_gguf import model_spec, write_gguf


class HubHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``/<owner>/<repo>/resolve/<rev>/<file>`` from a folder, with Range support (or without)."""
    root: Path
    sent = 0
    requests: list[str] = []
    honour_range = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        m = re.match(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$", self.path)
        path = self.root / m.group(3) if m else None
        type(self).requests.append(self.headers.get("Range", ""))
        if path is None or not path.is_file():
            self.send_response(404)
            self.end_headers()
            return
        size = path.stat().st_size
        rng = re.match(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        with open(path, "rb") as f:
            if rng and type(self).honour_range:
                start, end = int(rng.group(1)), min(int(rng.group(2)), size - 1)
                f.seek(start)
                body = f.read(end - start + 1)
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._send(body)
                return
            # a server that ignores Range: it starts sending the whole file, until the client hangs up
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            while chunk := f.read(1 << 16):
                if not self._send(chunk):
                    return

    def _send(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        type(self).sent += len(data)
        return True


@pytest.fixture
def hub(tmp_path, monkeypatch):
    handler = type("H", (HubHandler,), {"root": tmp_path, "sent": 0, "requests": [], "honour_range": True})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)  # Hearth's network layer only talks to the configured endpoint
    yield handler, endpoint, tmp_path
    server.shutdown()
    server.server_close()


def test_remote_header_reads_a_small_fraction(hub):
    handler, endpoint, root = hub
    path = write_gguf(root / "big.gguf", model_spec("qwen2", n_layer=8))[0]  # 2.4 GB, sparse
    model, fetched = read_remote_model(HubFile("acme/big-GGUF", "big.gguf"), endpoint=endpoint, token=False)
    local = read_model_file(path)
    assert [(t.name, t.shape, t.type_id, t.offset) for t in model.tensors] == \
        [(t.name, t.shape, t.type_id, t.offset) for t in local.tensors]
    assert model.file_size == path.stat().st_size
    size = path.stat().st_size
    assert handler.sent == fetched < size // 100  # well under 1 % of the file
    assert fetched < 3 * local.header.data_offset
    assert all(r.startswith("bytes=") for r in handler.requests)


def test_remote_split_model(hub):
    handler, endpoint, root = hub
    spec = model_spec("llama", n_layer=2, n_vocab=1024, n_embd=256, n_ff=512, n_head=4, n_head_kv=2)
    paths = write_gguf(root / "s.gguf", spec, split_max_tensors=10)
    model, _ = read_remote_model(HubFile("acme/s", paths[0].name), endpoint=endpoint, token=False)
    assert len(model.shards) == len(paths) and len(model.tensors) == len(read_model_file(paths[0]).tensors)


def test_remote_errors_are_clear(hub):
    handler, endpoint, root = hub
    with pytest.raises(RemoteError, match="not found on the Hub"):
        read_remote_model(HubFile("acme/none", "missing.gguf"), endpoint=endpoint, token=False)
    (root / "bad.gguf").write_bytes(b"NOPE" + bytes(4000))
    with pytest.raises(GGUFError, match="not a GGUF file"):
        read_remote_model(HubFile("acme/bad", "bad.gguf"), endpoint=endpoint, token=False)
    size = write_gguf(root / "m.gguf", model_spec("phi3", n_layer=1))[0].stat().st_size
    handler.honour_range = False
    handler.sent = 0
    with pytest.raises(RemoteError, match="does not support range requests"):
        read_remote_model(HubFile("acme/m", "m.gguf"), endpoint=endpoint, token=False)
    assert handler.sent < size // 20  # the client hung up: the model was not downloaded


def test_connection_refused_is_clear():
    with pytest.raises(RemoteError, match="could not read"):
        read_remote_model(HubFile("acme/x", "x.gguf"), endpoint="http://127.0.0.1:9", token=False)


def test_parse_hf_uri():
    assert parse_hf_uri("hf://bartowski/Qwen-GGUF/Qwen-Q4_K_M.gguf") == HubFile("bartowski/Qwen-GGUF",
                                                                                "Qwen-Q4_K_M.gguf", "main")
    assert parse_hf_uri("hf://a/b@v1.0/sub/c.gguf") == HubFile("a/b", "sub/c.gguf", "v1.0")
    with pytest.raises(ValueError, match="hf://owner/repo/file.gguf"):
        parse_hf_uri("hf://only-owner/file.gguf")
