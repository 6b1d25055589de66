"""Downloads against the loopback Hub with the real huggingface_hub client: resume, pause, dropped
connections, killed process, corrupted bytes, 401 then token, full disk, hostile names, queue persistence."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.core.fit.here import FitSettings
import pytest

from app.core.downloads.queue import ACTIVE, DONE, FAILED, PAUSED, QUEUED, DownloadItem, QueueStore, RateMeter, to_start
from app.core.downloads import Cancelled, Downloader, FileTarget, target_paths
from app.core.hub import UnsafeNameError
from app.core.hub.errors import HubError
from tests.hub.fixtures import *  # noqa: F401,F403

ROOT = Path(__file__).resolve().parents[3]
STARTER_SIZE = 98_362_432


def body_bytes(hub) -> int:
    return hub.bytes_sent


def test_download_lands_verified_as_plain_file(network_on, hub, tmp_path):
    md = tmp_path / "models"
    seen = []
    d = Downloader(md, endpoint=hub.url, on_progress=lambda a, b: seen.append((a, b)))
    p = d.run(FileTarget(STARTER_REPO, STARTER_FILE))
    assert p == md / "HuggingFaceTB" / "SmolLM2-135M-Instruct-GGUF" / STARTER_FILE
    assert p.stat().st_size == STARTER_SIZE
    assert seen[-1] == (STARTER_SIZE, STARTER_SIZE)
    assert not (p.parent / ".partial").exists()
    purposes = {e.purpose for e in network_on.network_log().entries()}
    assert {"repository", "file metadata", "download"} <= purposes
    dl = [e for e in network_on.network_log().entries() if e.purpose == "download" and e.method == "GET"]
    assert dl[-1].bytes_in == STARTER_SIZE


def test_pause_then_resume_transfers_each_byte_once(network_on, hub, tmp_path):
    md = tmp_path / "models"
    cancel = threading.Event()
    hub.faults.throttle_bps = 60e6

    def progress(done, total):
        if done > total * 0.4:
            cancel.set()

    d = Downloader(md, endpoint=hub.url, cancel=cancel, on_progress=progress)
    with pytest.raises(Cancelled):
        d.run(FileTarget(STARTER_REPO, STARTER_FILE))
    part = target_paths(md, STARTER_REPO, STARTER_FILE).partial
    have = part.stat().st_size
    assert STARTER_SIZE * 0.4 < have < STARTER_SIZE
    hub.faults.throttle_bps = None
    hub.reset_counters()
    d2 = Downloader(md, endpoint=hub.url)
    p = d2.run(FileTarget(STARTER_REPO, STARTER_FILE))
    assert d2.bytes_transferred == STARTER_SIZE - have
    assert body_bytes(hub) < STARTER_SIZE - have + 64_000  # + small JSON answers
    assert p.stat().st_size == STARTER_SIZE


def test_dropped_connections_are_retried_and_resumed(network_on, hub, tmp_path):
    hub.faults.drop_after = 20_000_000
    hub.faults.drop_times = 3
    statuses = []
    d = Downloader(tmp_path / "m", endpoint=hub.url, base_delay=0.05, on_status=statuses.append)
    p = d.run(FileTarget(STARTER_REPO, STARTER_FILE))
    assert p.stat().st_size == STARTER_SIZE
    assert d.bytes_transferred == STARTER_SIZE  # every drop resumed where it stopped
    assert len(statuses) == 3 and all("retrying" in s for s in statuses)


def test_gives_up_with_a_clear_message_when_the_server_keeps_failing(network_on, hub, tmp_path):
    hub.faults.status = {"resolve": 503}
    d = Downloader(tmp_path / "m", endpoint=hub.url, base_delay=0.01, retries=2)
    with pytest.raises(HubError) as e:
        d.run(FileTarget("acme/Tiny-Chat-GGUF", "tiny-chat-Q4_K_M.gguf"))
    assert e.value.kind == "server" and "503" in str(e.value)
    hub.faults.status = {}
    with pytest.raises(HubError) as e:
        d.run(FileTarget("acme/Tiny-Chat-GGUF", "no-such-file.gguf"))
    assert e.value.kind == "not_found"


def test_corrupted_bytes_are_caught_and_quarantined(network_on, hub, tmp_path):
    md = tmp_path / "models"
    hub.faults.corrupt = {"tiny-chat-Q8_0.gguf"}
    with pytest.raises(HubError) as e:
        Downloader(md, endpoint=hub.url).run(FileTarget("acme/Tiny-Chat-GGUF", "tiny-chat-Q8_0.gguf"))
    assert e.value.kind == "verify" and "sha256" in str(e.value) and "quarantine" in str(e.value)
    assert not (md / "acme" / "Tiny-Chat-GGUF" / "tiny-chat-Q8_0.gguf").exists()
    assert len(list((md / ".quarantine").rglob("*.bad"))) == 1
    from app.core.library import scan_models_dir

    assert scan_models_dir(md) == []  # never offered for loading
    hub.faults.corrupt = set()
    p = Downloader(md, endpoint=hub.url).run(FileTarget("acme/Tiny-Chat-GGUF", "tiny-chat-Q8_0.gguf"))
    assert p.is_file()


def test_xet_backed_file_downloads_verified_over_plain_https_path(network_on, hub, tmp_path):
    """A file the Hub stores with Xet: resolve answers 302 with the Xet headers and a Location on a "CAS bridge"
    origin. Hearth does not use hf_xet (its Rust client would bypass Hearth's network layer, see README): it follows
    the redirect, as huggingface_hub does without hf_xet, and resumes and verifies as for any file."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    data = small_model_bytes(5, n_layers=4, n_embd=512)
    name = "xet-model-Q4_K_M.gguf"
    src = xet_backed(source_from_bytes(data))
    hub.add(Repo("acme/Xet-GGUF")).files[name] = src
    # huggingface_hub itself recognises the file as Xet-backed
    meta = get_hf_file_metadata(hf_hub_url("acme/Xet-GGUF", name, endpoint=hub.url), token=False, endpoint=hub.url)
    assert meta.xet_file_data is not None and meta.xet_file_data.file_hash == src.xet_hash
    assert "xet-read-token" in meta.xet_file_data.refresh_route and meta.location.startswith(hub.bridge_url)
    md = tmp_path / "models"
    cancel = threading.Event()
    hub.faults.throttle_bps = 4e6
    network_on.network_log().clear()
    with pytest.raises(Cancelled):
        Downloader(md, endpoint=hub.url, cancel=cancel,
                   on_progress=lambda done, total: done > total * 0.4 and cancel.set()).run(
            FileTarget("acme/Xet-GGUF", name))
    have = target_paths(md, "acme/Xet-GGUF", name).partial.stat().st_size
    assert 0 < have < len(data)
    hub.faults.throttle_bps = None
    d = Downloader(md, endpoint=hub.url)
    p = d.run(FileTarget("acme/Xet-GGUF", name))
    assert p.read_bytes() == data and d.bytes_transferred == len(data) - have  # resumed with Range via the bridge
    assert not any("xet-read-token" in path or "reconstructions" in path for _m, path, _s in hub.requests)
    log = network_on.network_log().entries()
    assert any(e.path.startswith("/acme/Xet-GGUF/resolve/") and e.status == 302 and e.method == "GET" for e in log)
    bridge = [e for e in log if e.path.startswith("/xet-bridge-us/")]
    assert bridge and all(e.purpose == "download" and e.host == "127.0.0.1" for e in bridge)
    assert {e.status for e in bridge} == {200, 206}
    # bytes corrupted on the way from storage are caught like any other
    p.unlink()
    hub.faults.corrupt = {name}
    with pytest.raises(HubError) as e:
        Downloader(md, endpoint=hub.url).run(FileTarget("acme/Xet-GGUF", name))
    assert e.value.kind == "verify" and "quarantine" in str(e.value)
    hub.faults.corrupt = set()
    # and the fit verdict reads the header through the same redirect
    from app.core.fit import verdicts as fit_verdicts

    v = fit_verdicts.remote_verdict("acme/Xet-GGUF", "main", [(name, len(data))], FitSettings(2048), endpoint=hub.url)
    assert v.bpw and v.bytes_read < len(data)


def test_pinned_commit_removed_upstream_is_told_apart_from_a_missing_file(network_on, hub, tmp_path):
    md = tmp_path / "models"
    repo = hub.repos["acme/Tiny-Chat-GGUF"]
    name, pinned = "tiny-chat-Q8_0.gguf", repo.sha
    cancel = threading.Event()
    hub.faults.throttle_bps = 300_000
    with pytest.raises(Cancelled):
        Downloader(md, endpoint=hub.url, cancel=cancel, on_progress=lambda d, t: d > t * 0.3 and cancel.set()).run(
            FileTarget(repo.repo_id, name, revision=pinned))
    hub.faults.throttle_bps = None
    repo.sha = "f" * 40  # history rewritten upstream: the pinned commit no longer exists
    with pytest.raises(HubError) as e:
        Downloader(md, endpoint=hub.url).run(FileTarget(repo.repo_id, name, revision=pinned))
    assert e.value.kind == "revision_gone" and pinned[:10] in str(e.value) and "current version" in str(e.value)
    assert target_paths(md, repo.repo_id, name).partial.exists()  # nothing is thrown away without asking
    del repo.files[name]  # and a file that is gone from the current version too is simply not found
    with pytest.raises(HubError) as e:
        Downloader(md, endpoint=hub.url).run(FileTarget(repo.repo_id, name, revision=pinned))
    assert e.value.kind == "not_found"


def test_gated_401_then_token(network_on, hub, tmp_path):
    t = FileTarget("secret/Gated-GGUF", "gated-Q4_0.gguf")
    with pytest.raises(HubError) as e:
        Downloader(tmp_path / "m", endpoint=hub.url).run(t)
    assert e.value.kind == "auth" and "token" in str(e.value)
    with pytest.raises(HubError):
        Downloader(tmp_path / "m", endpoint=hub.url, token="hf_wrong").run(t)
    p = Downloader(tmp_path / "m", endpoint=hub.url, token="hf_test_token_123").run(t)
    assert p.is_file()


def test_hostile_names_never_write_outside(network_on, hub, tmp_path):
    md = tmp_path / "models"
    r = hub.add(Repo("evil/Hostile-GGUF"))
    r.files["../../../escape.gguf"] = source_from_bytes(b"x" * 100)
    for bad in ("../../../escape.gguf", "/tmp/abs.gguf", "C:\\x.gguf", "a\x00.gguf"):
        with pytest.raises(UnsafeNameError):
            Downloader(md, endpoint=hub.url).run(FileTarget("evil/Hostile-GGUF", bad))
    with pytest.raises(UnsafeNameError):
        Downloader(md, endpoint=hub.url).run(FileTarget("../..", "x.gguf"))
    assert not list(tmp_path.rglob("escape.gguf"))
    # a symlinked folder inside the models folder that points outside is refused too
    md.mkdir(parents=True, exist_ok=True)
    (md / "evil").symlink_to(tmp_path / "outside", target_is_directory=True)
    with pytest.raises(UnsafeNameError):
        target_paths(md, "evil/Hostile-GGUF", "ok.gguf")


@pytest.fixture
def small_fs(tmp_path):
    mnt = tmp_path / "smallfs"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mnt)], capture_output=True, text=True)
    assert proc.returncode == 0, f"this test mounts a 40 MB tmpfs and needs root: {proc.stderr}"
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_checked_before_start_and_enospc_keeps_partial(network_on, hub, tmp_path, small_fs):
    md = small_fs / "models"
    # 1) the free-space check refuses a file that cannot fit, before downloading anything
    hub.reset_counters()
    with pytest.raises(HubError) as e:
        Downloader(md, endpoint=hub.url).run(FileTarget(STARTER_REPO, STARTER_FILE))
    assert e.value.kind == "disk_full" and "free" in str(e.value)
    assert not any(m == "GET" and "resolve" in p for m, p, _ in hub.requests)
    # 2) the disk fills up during the download (another program writes a big file): a real ENOSPC
    t = FileTarget("acme/Tiny-Chat-GGUF", "tiny-chat-Q4_K_M.gguf")
    hub.faults.throttle_bps = 400_000
    filler = small_fs / "filler.bin"

    def fill(done, total):
        if done > 100_000 and not filler.exists():
            with open(filler, "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * (1 << 20))
                except OSError:
                    pass

    with pytest.raises(HubError) as e:
        Downloader(md, endpoint=hub.url, on_progress=fill).run(t)
    assert e.value.kind == "disk_full" and "partial" in str(e.value)
    part = target_paths(md, t.repo_id, t.filename).partial
    kept = part.stat().st_size
    assert kept > 0
    # 3) space freed: resume completes from the kept bytes and verifies
    filler.unlink()
    hub.faults.throttle_bps = None
    d = Downloader(md, endpoint=hub.url)
    p = d.run(t)
    assert p.is_file() and d.bytes_transferred == p.stat().st_size - kept


def _cli(hearth_home: Path, hub_url: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), HF_ENDPOINT=hub_url,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "download", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_the_downloading_process_and_resume_in_a_new_one(hub, hearth_home):
    hub.faults.throttle_bps = 25e6
    proc = _cli(hearth_home, hub.url, STARTER_REPO, STARTER_FILE, "--quiet")
    md = hearth_home / "data" / "models"
    part = target_paths(md, STARTER_REPO, STARTER_FILE).partial
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if part.exists() and part.stat().st_size > STARTER_SIZE // 2:
            break
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    have = part.stat().st_size
    assert STARTER_SIZE // 2 < have < STARTER_SIZE
    hub.faults.throttle_bps = None
    hub.reset_counters()
    proc = _cli(hearth_home, hub.url, STARTER_REPO, STARTER_FILE, "--quiet")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    final = Path(out.strip())
    assert final == md / "HuggingFaceTB" / "SmolLM2-135M-Instruct-GGUF" / STARTER_FILE
    assert final.stat().st_size == STARTER_SIZE
    assert hub.bytes_sent - (STARTER_SIZE - have) < STARTER_SIZE * 0.01  # at most 1% transferred again


def test_cli_offline_mode_refuses_without_connecting(hub, hearth_home):
    from app.settings import Settings

    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    s = Settings(offline_mode=True)
    s.save(hearth_home / "config" / "settings.json")
    hub.reset_counters()
    proc = _cli(hearth_home, hub.url, STARTER_REPO, STARTER_FILE)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "Offline mode is on" in err
    assert hub.requests == []


def test_queue_survives_restart_and_schedules(tmp_path):
    store = QueueStore(tmp_path / "downloads.json")
    items = [DownloadItem("a/b", f"f{i}.gguf", size=10) for i in range(4)]
    items[0].state = ACTIVE
    items[1].state = PAUSED
    items[2].state = DONE
    items[3].state = FAILED
    store.save(items)
    loaded = store.load()
    assert [(i.filename, i.state) for i in loaded] == [("f0.gguf", QUEUED), ("f1.gguf", PAUSED), ("f3.gguf", FAILED)]
    assert [i.filename for i in to_start(loaded, 1)] == ["f0.gguf"]
    loaded[0].state = ACTIVE
    assert to_start(loaded, 1) == []
    (tmp_path / "downloads.json").write_text("{not json")
    assert store.load() == []


def test_rate_meter_rolling_average():
    m = RateMeter(window=2.0)
    for i in range(11):
        m.add(i * 1000, now=i * 0.5)
    assert m.speed() == pytest.approx(2000)
    assert m.eta(4000) == pytest.approx(2.0)
    m.add(0, now=6.0)
    assert m.speed() == 0.0


def test_size_check_before_a_download():
    from app.core.downloads.queue import check_download_size

    GB = 1024 ** 3  # sizes are shown 1024-based, as GiB (app/core/units.py)
    assert check_download_size(2 * GB, free_disk=100 * GB, ram_total=16 * GB).confirm == ""
    big = check_download_size(int(7.2 * GB), free_disk=100 * GB, ram_total=32 * GB)
    assert big.confirm == "This is a 7.2 GiB download. Continue?" and not big.refuse
    over_ram = check_download_size(3 * GB, free_disk=100 * GB, ram_total=2 * GB)
    assert "larger than this computer's memory (2.0 GiB)" in over_ram.confirm
    low = check_download_size(3 * GB, free_disk=4 * GB, ram_total=16 * GB)
    assert "leaves only 1.0 GiB free" in low.confirm
    no_room = check_download_size(5 * GB, free_disk=3 * GB, ram_total=16 * GB)
    assert no_room.refuse and "5.0 GiB" in no_room.refuse and "3.0 GiB" in no_room.refuse
    # bytes kept from an earlier attempt need no new space
    assert not check_download_size(5 * GB, free_disk=3 * GB, ram_total=16 * GB, have=4 * GB).refuse
