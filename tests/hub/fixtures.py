"""Fixtures for the Hub tests (import them into a test module with ``from tests.hub.fixtures import *``)."""
from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.hub.gguf_files import model_header, small_model_bytes, split_shards
from tests.hub.server import HubServer, Repo, source_from_bytes, source_from_file, synthetic_source, xet_backed

STARTER_SHA = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
STARTER_REPO = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
STARTER_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

__all__ = ["hub", "network_on", "memory_keyring", "MemoryKeyring", "STARTER_REPO", "STARTER_FILE", "STARTER_SHA",
           "populate", "Repo", "source_from_bytes", "small_model_bytes", "model_header", "synthetic_source",
           "split_shards", "xet_backed"]


class MemoryKeyring(KeyringBackend):
    """A keyring in memory: tests never touch the real one."""
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


def populate(server: HubServer, starter_model: Path | None = None) -> None:
    """Repositories like the real ones: the starter model (real bytes), a repo with several quantizations,
    a split model and an mmproj, a gated repo, a remote multi-GB model, and padding repos for paging."""
    if starter_model is not None:
        r = server.add(Repo(STARTER_REPO, downloads=90_000, likes=120, readme="# SmolLM2\n\nA *tiny* model.\n\n"
                            "![logo](https://example.invalid/logo.png)\n\n<script>alert(1)</script>\n"))
        r.files[STARTER_FILE] = source_from_file(starter_model, STARTER_SHA)
    r = server.add(Repo("acme/Tiny-Chat-GGUF", downloads=5000, likes=40, last_modified="2025-03-01T00:00:00.000Z",
                        readme="# Tiny Chat\n\nGood for **tests**.\n"))
    for i, q in enumerate(("Q4_K_M", "Q8_0", "Q2_K")):
        r.files[f"tiny-chat-{q}.gguf"] = source_from_bytes(small_model_bytes(i, name=f"Tiny {q}"))
    r.files["README.md"] = source_from_bytes(b"# Tiny Chat\n")
    big_header, big_data = model_header()
    r = server.add(Repo("acme/Big-7B-GGUF", downloads=3000, likes=70, last_modified="2025-05-01T00:00:00.000Z"))
    r.files["big-7b-Q4_K_M.gguf"] = synthetic_source(big_header, len(big_header) + big_data)
    for n, (head, size) in enumerate(split_shards(), start=1):  # a real split GGUF: 3 shards, ~3 GB
        r.files[f"big-7b-Q8_0-0000{n}-of-00003.gguf"] = synthetic_source(head, size)
    r.files["mmproj-big-7b-f16.gguf"] = source_from_bytes(b"m" * 2000)
    r = server.add(Repo("secret/Gated-GGUF", downloads=10, likes=1, gated="manual", token="hf_test_token_123"))
    r.files["gated-Q4_0.gguf"] = source_from_bytes(small_model_bytes(7))
    for i in range(25):
        server.add(Repo(f"filler/Filler-{i:02d}-GGUF", downloads=i, likes=25 - i))


@pytest.fixture
def hub(starter_model):
    server = HubServer(page_size=10).start()
    populate(server, starter_model)
    yield server
    server.stop()


@pytest.fixture
def network_on(hub, hearth_home, monkeypatch):
    """Hearth's network layer pointed at the test server, online, with a fresh network log."""
    from app.core import net

    monkeypatch.delenv("HF_ENDPOINT", raising=False)

    net.configure(offline=False, endpoint=hub.url, log_path=hearth_home / "data" / "network_log.jsonl")
    net.network_log().clear()
    yield net
    net.set_offline(False)


def copy_partial(src: Path, dst: Path, n: int) -> None:
    with open(src, "rb") as f, open(dst, "wb") as out:
        shutil.copyfileobj(_Limited(f, n), out)


class _Limited:
    def __init__(self, f, n: int) -> None:
        self.f, self.n = f, n

    def read(self, size: int = -1) -> bytes:
        if self.n <= 0:
            return b""
        b = self.f.read(self.n if size < 0 else min(size, self.n))
        self.n -= len(b)
        return b
