"""Crash safety for real: a child process streams a reply into the store and is SIGKILLed at random moments.

After each kill the parent opens the same file and checks that the reply holds at least the last flush the
child saw committed (and at most the one in flight), that ``mark_interrupted`` turns it into 'interrupted'
with its text kept, and that SQLite's and the search index's integrity checks say "ok".
"""
from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.chats import ChatStore

ROOT = Path(__file__).resolve().parents[3]
CHUNK = 23
TEXT = "".join(f"token{i} " for i in range(100_000))

CHILD = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from app.core.chats import ChatStore
path, progress, run = sys.argv[1], sys.argv[2], sys.argv[3]
text = "".join(f"token{{i}} " for i in range(100_000))
store = ChatStore(path)
c = store.create_conversation("run " + run)
u = store.add_message(c.id, None, "user", "write forever")
a = store.add_message(c.id, u.id, "assistant", "", state="streaming")
fd = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
os.write(fd, f"ready {{c.id}} {{a.id}}\\n".encode())
n = 0
while n + {CHUNK} < len(text):
    n += {CHUNK}
    store.update_message(a.id, content=text[:n])  # a flush: one committed transaction
    os.write(fd, f"{{n}}\\n".encode())            # only after the commit returned
    if n % ({CHUNK} * 50) == 0:                     # now and then a new branch, like a regenerate
        a2 = store.add_message(c.id, u.id, "assistant", "", state="streaming")
        store.update_message(a2.id, state="stopped")
"""


def read_progress(path: Path) -> tuple[int, int, int]:
    lines = path.read_text().split("\n")[:-1]  # the last piece may be a half-written line
    _, cid, aid = lines[0].split()
    return int(cid), int(aid), int(lines[-1]) if len(lines) > 1 else 0


def wait_ready(progress: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while not (progress.exists() and "\n" in progress.read_text()):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "child never started streaming"
        time.sleep(0.005)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_while_streaming_loses_at_most_the_last_flush(tmp_path):
    db = tmp_path / "chats.sqlite3"
    rng = random.Random(1234)
    started, runs, lengths = time.monotonic(), 0, []
    while runs < 20 and time.monotonic() - started < 25:
        progress = tmp_path / f"progress-{runs}.txt"
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(progress), str(runs)],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        wait_ready(progress, proc)
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        cid, aid, acked = read_progress(progress)
        with ChatStore(db) as store:
            msg = store.get_message(aid)
            assert msg.state == "streaming"
            assert msg.content in (TEXT[:acked], TEXT[:acked + CHUNK]), (acked, len(msg.content))
            assert store.mark_interrupted() >= 1
            after = store.get_message(aid)
            assert (after.state, after.content) == ("interrupted", msg.content)
            assert store.get_conversation(cid).title == f"run {runs}"
            assert store.integrity_check() == "ok"
        lengths.append(acked)
        runs += 1
    assert runs >= 10, f"only {runs} kill cycles fitted in the time budget"
    assert max(lengths) > 0, "the kills never landed mid-reply"
    with ChatStore(db) as store:  # every run's reply is still there, each as 'interrupted'
        convs = store.list_conversations()
        assert len(convs) == runs
        for conv in convs:
            assert store.branch(conv.id)[-1].state in ("interrupted", "stopped")
