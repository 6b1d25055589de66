"""A real Hearth workload for the kill harness (``test_kill_loop.py``), run in its own process and SIGKILLed.

    HEARTH_HOME=... python tests/robustness/kill_driver.py work   HUB_URL REPO MODEL OUTSIDE_DIR SEED
    HEARTH_HOME=... python tests/robustness/kill_driver.py finish HUB_URL REPO MODEL OUTSIDE_DIR SEED

Three threads do what the app does, with the app's own code:

- chat (main thread): ``ChatStore`` on the real database, ``mark_interrupted`` at start, the real llama.cpp with
  the starter model streaming replies that are flushed to the database every 50 ms (the UI flushes every 500 ms:
  this is harsher), conversations exported and imported back, old conversations deleted, settings saved;
- downloads: the saved queue (``QueueStore``) worked through with ``Downloader`` from the loopback Hub, and
  each finished file deleted again from the library (``delete_model``) and queued once more, so downloads and
  deletes never run out;
- library: GGUF files from another folder imported in place (``import_paths``) and forgotten again.

Every step prints a line *after* it returned (``COMMIT``, ``DOWNLOADED``, ``IMPORTED`` ...) and ``BEGIN <what>``
before it starts, so the test knows what was durable when the kill came and can aim kills at each activity.
``finish`` mode runs without being killed: it resumes every unfinished download and exits. Reports go to the
file descriptor ``KILL_FD`` (a pipe the test passes in).
"""
from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

_out = threading.Lock()
# Reports go to a pipe of their own (fd KILL_FD), not stdout: llama-cpp-python points fds 1 and 2 at /dev/null
# while it loads a model (``suppress_stdout_stderr``), which would swallow other threads' reports.
_FD = int(os.environ.get("KILL_FD", "1"))


def emit(*parts) -> None:
    data = (" ".join(str(p) for p in parts) + "\n").encode("utf-8")
    with _out:
        while data:  # one write() for a short line: a kill never cuts it, and lines never interleave
            data = data[os.write(_FD, data):]


def download_loop(paths, hub_url: str, repo: str, rng: random.Random, finish: bool) -> None:
    from app.core.downloads.queue import ACTIVE, DONE, QUEUED, DownloadItem, QueueStore
    from app.core.downloads import Downloader, FileTarget, target_paths
    from app.core.library import LocalModel, delete_model, scan_models_dir

    models = paths.default_models_dir
    queue = QueueStore(paths.downloads_state)
    items = queue.load()
    # the user's wish list: every file of the pool is either in the library or in the queue (a kill between a
    # delete and the re-queue would otherwise drop one from the rotation)
    pool = [n for n in os.environ["KILL_POOL"].split(",") if n]
    queued = {i.filename for i in items}
    missing = [n for n in pool if n not in queued and not target_paths(models, repo, n).dest.is_file()]
    if missing:
        items += [DownloadItem(repo, n) for n in missing]
        queue.save(items)
    while True:
        todo = [i for i in items if i.state in (QUEUED, ACTIVE, "paused", "failed")]
        if not todo:
            if finish:
                emit("QUEUE-EMPTY")
                return
            # a delete: one finished download leaves the library and is queued again
            have = [m for m in scan_models_dir(models) if m.repo_id == repo]
            if not have:
                time.sleep(0.05)
                continue
            m = rng.choice(have)
            emit("BEGIN", "delete", m.filename)
            delete_model(LocalModel(m.path, m.repo_id, m.filename, m.size), models, None)
            emit("DELETED", m.filename)
            items.append(DownloadItem(repo, m.filename))
            queue.save(items)
            emit("QUEUED", m.filename)
            continue
        item = todo[0]
        item.state = ACTIVE
        queue.save(items)
        started = []

        def progress(done, total, name=item.filename):
            if not started and done < total:
                started.append(1)
                emit("BEGIN", "download", name, done)

        d = Downloader(models, endpoint=hub_url, retries=3, base_delay=0.2, on_progress=progress)
        path = d.run(FileTarget(repo, item.filename))
        assert path == target_paths(models, repo, item.filename).dest
        emit("DOWNLOADED", item.filename, d.bytes_transferred)
        item.state = DONE
        items = [i for i in items if i is not item]
        queue.save(items)
        emit("SAVED-QUEUE", item.filename)


def library_loop(paths, outside: Path, rng: random.Random) -> None:
    from app.core.library import ImportRegistry, LocalModel, delete_model, import_paths

    registry = ImportRegistry(paths.data_dir / "library.json")
    files = sorted(outside.glob("*.gguf"))
    while True:
        f = rng.choice(files)
        emit("BEGIN", "import", f.name)
        added, problems = import_paths(registry, [f], paths.default_models_dir)
        assert added and not problems, problems
        emit("IMPORTED", f.name)
        time.sleep(rng.uniform(0, 0.05))
        emit("BEGIN", "forget", f.name)
        delete_model(LocalModel(f.resolve(), "", f.name, f.stat().st_size, source="imported"),
                     paths.default_models_dir, registry)
        emit("FORGOTTEN", f.name)


def chat_loop(paths, model: Path, rng: random.Random) -> None:
    from app.core.chats import ChatStore
    from app.core.engine import Engine, LoadOptions, Sampling
    from app.settings import Settings

    store = ChatStore(paths.chats_db)
    n = store.mark_interrupted()
    emit("CHAT-OPEN", n)
    engine = Engine()
    engine.load(model, LoadOptions(n_ctx=512, n_threads=1, n_batch=128))
    emit("MODEL-LOADED")
    turn = 0
    cid, parent = None, None
    prompts = ["Say hello.", "Name three colours.", "Count to five.", "What is a cat?", "Write a haiku.",
               "Tell me a fact about the sea."]
    while True:
        turn += 1
        if cid is None or turn % 3 == 0:
            cid, parent = store.create_conversation(settings={"turn": turn}).id, None
            emit("CONV", cid)
        text = rng.choice(prompts)
        u = store.add_message(cid, parent, "user", text)
        emit("COMMIT", u.id, cid, len(text))
        a = store.add_message(cid, u.id, "assistant", "", state="streaming")
        emit("COMMIT", a.id, cid, 0)
        emit("BEGIN", "chat", a.id)
        history = [{"role": "user", "content": text}]
        reply, last = "", time.monotonic()
        for piece in engine.stream(history, Sampling(max_tokens=rng.randint(8, 24), seed=rng.randrange(1 << 20))):
            reply += piece
            if time.monotonic() - last >= 0.05:
                store.update_message(a.id, content=reply)
                emit("COMMIT", a.id, cid, len(reply))
                last = time.monotonic()
        store.update_message(a.id, content=reply, state="done", stats={"turn": turn})
        emit("COMMIT", a.id, cid, len(reply))
        parent = a.id
        s = Settings.load(paths.settings_file)
        s.last_model = str(model)
        s.extra["turns"] = turn
        s.save(paths.settings_file)
        emit("SETTINGS", turn)
        if turn % 2 == 0:  # a chat import: export a conversation and import it back as a new one
            data = store.export_json(cid)
            emit("BEGIN", "chat-import", cid)
            new = store.import_json(data)
            emit("IMPORTCONV", new.id, len(data["messages"]))
        convs = store.list_conversations()
        if len(convs) > 6:  # a delete in the chats: the oldest conversation that is not the current one
            old = next(c for c in reversed(convs) if c.id != cid)
            emit("BEGIN", "delconv", old.id)
            store.delete_conversation(old.id)
            emit("DELCONV", old.id)


def main() -> int:
    mode, hub_url, repo, model, outside, seed = sys.argv[1:7]
    from app.core import net
    from app.logs import setup_logging
    from app.paths import resolve_paths

    paths = resolve_paths().ensure()
    setup_logging(paths.log_file)
    net.configure(offline=False, endpoint=hub_url, log_path=paths.data_dir / "network_log.jsonl")
    rng = random.Random(int(seed))
    emit("START", os.getpid(), seed)
    errors: list[str] = []

    def guarded(fn, *args):
        def run():
            try:
                fn(*args)
            except BaseException as exc:  # reported on stdout: the test fails on any error line
                import traceback

                errors.append(f"{fn.__name__}: {exc!r}")
                emit("ERROR", fn.__name__, json.dumps(traceback.format_exc()))
        return run

    if mode == "finish":
        guarded(download_loop, paths, hub_url, repo, rng, True)()
        from app.core.chats import ChatStore

        with ChatStore(paths.chats_db) as store:
            emit("CHAT-OPEN", store.mark_interrupted())
        emit("FINISHED", len(errors))
        return 1 if errors else 0
    threading.Thread(target=guarded(download_loop, paths, hub_url, repo, random.Random(rng.random()), False),
                     name="downloads", daemon=True).start()
    threading.Thread(target=guarded(library_loop, paths, Path(outside), random.Random(rng.random())),
                     name="library", daemon=True).start()
    guarded(chat_loop, paths, Path(model), random.Random(rng.random()))()
    return 1


if __name__ == "__main__":
    sys.exit(main())
