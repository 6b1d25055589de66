"""Search, repository listing, network log, offline mode and hostile names, with the real huggingface_hub
client over HTTP to the loopback test Hub."""
from __future__ import annotations

import socket
import sys
import time

from app.core.fit.here import FitSettings
import pytest

from app.core import hub as hubmod
from app.core.hub import token as hub_token
from app.core.hub.errors import HubError
from tests.hub.fixtures import *  # noqa: F401,F403


def test_search_pages_sorts_and_fields(network_on, hub):
    pager = hubmod.SearchPager("", "downloads", page_size=12, endpoint=hub.url)
    first = pager.next_page()
    assert [r.repo_id for r in first[:3]] == [STARTER_REPO, "acme/Tiny-Chat-GGUF", "acme/Big-7B-GGUF"]
    assert len(first) == 12 and not pager.exhausted
    assert first[0].author == "HuggingFaceTB" and first[0].downloads == 90_000 and first[0].likes == 120
    assert first[0].last_modified is not None
    gated = hubmod.SearchPager("gated", "downloads", endpoint=hub.url).next_page()
    assert [(r.repo_id, r.gated) for r in gated] == [("secret/Gated-GGUF", "manual")]
    rest = []
    while not pager.exhausted:
        rest += pager.next_page()
    assert len(first) + len(rest) == len(hub.repos)
    by_likes = hubmod.SearchPager("acme", "likes", endpoint=hub.url).next_page()
    assert [r.repo_id for r in by_likes] == ["acme/Big-7B-GGUF", "acme/Tiny-Chat-GGUF"]
    recent = hubmod.SearchPager("acme", "recent", endpoint=hub.url).next_page()
    assert [r.repo_id for r in recent] == ["acme/Big-7B-GGUF", "acme/Tiny-Chat-GGUF"]
    # the search requests went through Hearth's client and are in the network log
    entries = network_on.network_log().entries()
    assert entries and all(e.host == "127.0.0.1" and e.purpose == "search" for e in entries)
    assert all(e.bytes_in > 0 and e.status == 200 for e in entries)


def test_server_errors_are_errors_not_empty_results(network_on, hub, monkeypatch):
    import huggingface_hub.utils._http as http

    monkeypatch.setattr(http, "time", type("T", (), {"sleep": staticmethod(lambda s: None),
                                                   "time": staticmethod(time.time)}))
    hub.faults.status = {"/api/models": 500}
    with pytest.raises(HubError) as e:
        hubmod.SearchPager("acme", "downloads", endpoint=hub.url).next_page()
    assert e.value.kind == "server" and "500" in str(e.value)
    hub.faults.status = {"/api/models": 401}
    with pytest.raises(HubError) as e:
        hubmod.SearchPager("acme", "downloads", endpoint=hub.url).next_page()
    assert e.value.kind == "auth"
    hub.faults.status = {}
    with pytest.raises(HubError) as e:
        hubmod.repo_details("nobody/Nothing-GGUF", endpoint=hub.url)
    assert e.value.kind == "not_found"


def test_repository_groups_split_mmproj_and_quants(network_on, hub):
    d = hubmod.repo_details("acme/Big-7B-GGUF", endpoint=hub.url)
    names = [(e.name, e.quant, e.kind, e.total_size, len(e.files)) for e in d.entries]
    assert names[0][:3] == ("big-7b-Q4_K_M.gguf", "Q4_K_M", "model")
    split_total = sum(size for _head, size in split_shards())
    assert ("big-7b-Q8_0.gguf (3 parts)", "Q8_0", "model", split_total, 3) in names
    assert names[-1][:3] == ("mmproj-big-7b-f16.gguf", "F16", "mmproj")
    assert all(f.sha256 and len(f.sha256) == 64 for e in d.entries for f in e.files)
    assert d.license == "apache-2.0" and d.sha == hub.repos["acme/Big-7B-GGUF"].sha
    t = hubmod.repo_details("acme/Tiny-Chat-GGUF", endpoint=hub.url)
    assert [e.quant for e in t.entries] == ["Q2_K", "Q4_K_M", "Q8_0"]  # by bits per weight
    card = hubmod.fetch_model_card("acme/Tiny-Chat-GGUF", t.sha, endpoint=hub.url)
    assert card.startswith("# Tiny Chat")


def test_remote_verdicts_read_only_headers_through_hearths_client(network_on, hub):
    from app.core.fit import verdicts as fit_verdicts

    d = hubmod.repo_details("acme/Big-7B-GGUF", endpoint=hub.url)
    single, split = d.entries[0], next(e for e in d.entries if len(e.files) == 3)
    hub.reset_counters()
    network_on.network_log().clear()
    v = fit_verdicts.remote_verdict(d.repo_id, d.sha, [(f.path, f.size) for f in single.files], FitSettings(4096),
                                    endpoint=hub.url)
    assert 4.0 < v.bpw < 5.5 and v.level in (0, 1, 2) and "tokens" in v.detail
    assert v.bytes_read == hub.bytes_sent < 1024 * 1024  # a 4 GB model: its header only
    hub.reset_counters()
    v = fit_verdicts.remote_verdict(d.repo_id, d.sha, [(f.path, f.size) for f in split.files], FitSettings(4096),
                                    endpoint=hub.url)
    assert 8.0 < v.bpw < 9.0  # Q8_0, measured over the tensors of all three shards
    assert v.bytes_read == hub.bytes_sent < 16 * 1024 * 1024  # ~3 GB of shards: their headers only
    got = {p.rsplit("/", 1)[-1] for m, p, status in hub.requests if status == 206}
    assert got == {f.path for f in split.files}
    log = network_on.network_log().entries()
    assert log and all(e.purpose == "header read" and e.host == "127.0.0.1" and e.status == 206 for e in log)
    # a listing that disagrees with the shards' own split count is refused, not guessed
    from app.core.gguf.header import GGUFError

    with pytest.raises(GGUFError, match="3 parts"):
        fit_verdicts.remote_verdict(d.repo_id, d.sha, [(f.path, f.size) for f in split.files[:2]], FitSettings(4096),
                                    endpoint=hub.url)
    network_on.set_offline(True)
    hub.reset_counters()
    with pytest.raises(network_on.OfflineError):
        fit_verdicts.remote_verdict(d.repo_id, d.sha, [(f.path, f.size) for f in split.files], FitSettings(4096),
                                    endpoint=hub.url)
    assert hub.requests == []


@pytest.mark.parametrize("name", ["model-Q4_K_M.gguf", "sub/dir/model-Q4_0.gguf", "Q4_K_M/x-00001-of-00002.gguf"])
def test_safe_names_pass(name):
    assert hubmod.safe_relpath(name) == name


@pytest.mark.parametrize("name", ["../evil.gguf", "a/../../evil.gguf", "/etc/passwd.gguf", "C:evil.gguf",
                                  "C:\\Windows\\evil.gguf", "..\\evil.gguf", "a\x00b.gguf", "", "~/x.gguf",
                                  "a//b.gguf", "./x.gguf", "x.gguf.", "a:b.gguf"])
def test_hostile_names_rejected(name):
    with pytest.raises(hubmod.UnsafeNameError):
        hubmod.safe_relpath(name)


@pytest.mark.parametrize("repo", ["../x", "a/b/c", "a", "a/..", "a/.b/", ".../x"])
def test_hostile_repo_ids_rejected(repo):
    with pytest.raises(hubmod.UnsafeNameError):
        hubmod.safe_repo_id(repo)


def test_hostile_listing_is_never_offered(network_on, hub):
    r = hub.add(Repo("evil/Hostile-GGUF"))
    for name in ("../../escape.gguf", "/abs/path.gguf", "C:\\win.gguf", "ok-Q4_0.gguf"):
        r.files[name] = source_from_bytes(b"GGUF" + b"\0" * 60)
    d = hubmod.repo_details("evil/Hostile-GGUF", endpoint=hub.url)
    assert [e.name for e in d.entries] == ["ok-Q4_0.gguf"]
    assert sorted(d.rejected) == sorted(["../../escape.gguf", "/abs/path.gguf", "C:\\win.gguf"])


def test_offline_mode_opens_no_connection(network_on, hub):
    connects: list = []

    def audit(event, args):
        if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
            connects.append(args[1])
        elif event == "socket.getaddrinfo":
            connects.append(args[0])

    sys.addaudithook(audit)
    network_on.set_offline(True)
    for call in (lambda: hubmod.SearchPager("x", endpoint=hub.url).next_page(),
                 lambda: hubmod.repo_details("acme/Tiny-Chat-GGUF", endpoint=hub.url),
                 lambda: hubmod.fetch_model_card("acme/Tiny-Chat-GGUF", "main", endpoint=hub.url)):
        with pytest.raises(network_on.OfflineError) as e:
            call()
        assert "Offline mode is on" in str(e.value)
    # even a direct use of huggingface_hub's client is stopped before a socket exists
    with pytest.raises(network_on.OfflineError):
        network_on.session().get(hub.url + "/api/models")
    assert connects == []
    network_on.set_offline(False)
    hubmod.repo_details("acme/Tiny-Chat-GGUF", endpoint=hub.url)
    assert connects, "the audit hook must see connections when online (it is really watching)"


def test_only_the_configured_endpoint(network_on, hub):
    assert network_on.host_allowed("127.0.0.1")
    assert not network_on.host_allowed("example.com")
    assert network_on.host_allowed("cdn-lfs.huggingface.co", "https://huggingface.co")
    assert network_on.host_allowed("cas-bridge.xethub.hf.co", "https://huggingface.co")
    assert not network_on.host_allowed("evil.com", "https://huggingface.co")
    with pytest.raises(network_on.BlockedHostError):
        network_on.session().get("http://localhost:9/never")
    assert network_on.network_log().entries() == []  # refused before any request


def test_endpoint_setting_and_env(monkeypatch):
    from app.core import net

    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert net.endpoint("") == "https://huggingface.co"
    assert net.endpoint("https://mirror.example/") == "https://mirror.example"
    monkeypatch.setenv("HF_ENDPOINT", "https://env.example")
    assert net.endpoint("https://mirror.example") == "https://env.example"


def test_network_log_is_bounded_and_persisted(tmp_path):
    from app.core.net import NetworkLog, RequestRecord

    log = NetworkLog(tmp_path / "net.jsonl", max_entries=50)
    for i in range(180):
        log.add(RequestRecord(time=i, method="GET", host="h", path=f"/{i}", status=200, bytes_in=i, bytes_out=0,
                              purpose="search"))
    assert len(log.entries()) == 50 and log.entries()[-1].path == "/179"
    lines = (tmp_path / "net.jsonl").read_text().splitlines()
    assert len(lines) <= 100
    (tmp_path / "net.jsonl").write_text((tmp_path / "net.jsonl").read_text() + "{broken\n")
    again = NetworkLog(tmp_path / "net.jsonl", max_entries=50)
    assert again.entries()[-1].path == "/179"


def test_token_in_keyring_never_in_files(memory_keyring, hearth_home):
    cfg = hearth_home / "config"
    where = hub_token.set_token(cfg, "hf_secret_abc")
    assert "keyring" in where
    assert memory_keyring.store[(hub_token.SERVICE, hub_token.ACCOUNT)] == "hf_secret_abc"
    assert hub_token.get_token(cfg) == "hf_secret_abc"
    assert not (cfg / "hub-token").exists()
    hub_token.delete_token(cfg)
    assert hub_token.get_token(cfg) is None


def test_token_fallback_file_says_where(hearth_home):
    import keyring
    from keyring.backends import fail

    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        cfg = hearth_home / "config"
        where = hub_token.set_token(cfg, "hf_fallback_1")
        assert str(cfg / "hub-token") in where and "No system keyring" in where
        assert (cfg / "hub-token").stat().st_mode & 0o077 == 0
        assert hub_token.get_token(cfg) == "hf_fallback_1"
        with pytest.raises(ValueError):
            hub_token.set_token(cfg, "has space")
    finally:
        keyring.set_keyring(old)


def test_a_header_is_read_once_per_file_and_revision(network_on, hub):
    """Changing the context on Discover re-estimates from the header already read (issue 18: 8.3 MB each time
    for Gemma 3 270M)."""
    from app.core.fit import verdicts as fit_verdicts

    d = hubmod.repo_details("acme/Big-7B-GGUF", endpoint=hub.url)
    files = [(f.path, f.size) for f in d.entries[0].files]
    hub.reset_counters()
    first = fit_verdicts.remote_verdict(d.repo_id, d.sha, files, FitSettings(2048), endpoint=hub.url)
    assert first.bytes_read == hub.bytes_sent > 0
    hub.reset_counters()
    again = fit_verdicts.remote_verdict(d.repo_id, d.sha, files, FitSettings(32768), endpoint=hub.url)
    assert again.bytes_read == 0 and hub.bytes_sent == 0 and hub.requests == []
    assert "2,048 tokens" in first.detail and "32,768 tokens" in again.detail
