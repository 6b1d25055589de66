"""``hearth docs`` as a user runs it, end to end with the real parts: a real PDF (drawn with Qt) with known text on
known pages, Markdown and text files, embeddings by llama.cpp from SmolLM2 (mean pooling) in the engine process,
the SQLite index, ``search --json`` finding the right page, ``ask --json`` answering with a citation to it (real
SmolLM2), a SIGKILL in the middle of indexing and a resume that loses nothing else, changed and deleted files,
bad files each with a clear message that do not stop the rest, and Offline mode: zero connections (the commands
never open a socket: checked with an audit hook in the same process)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.docs.docs_samples import drawn_pdf

ROOT = Path(__file__).resolve().parents[3]


def hearth(args, home, timeout=300):
    env = dict(os.environ, HEARTH_HOME=str(home))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "docs", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


@pytest.fixture
def library(tmp_path, qapp):
    d = tmp_path / "library"
    d.mkdir()
    drawn_pdf(d / "manual.pdf", [
        ["Welcome to the Brevio coffee machine manual."],
        ["Cleaning: descale the boiler every 90 days with citric acid.", "Rinse the tank twice afterwards."],
        ["Warranty: the warranty lasts 24 months from the date of purchase."],
    ])
    (d / "bike.md").write_text("# Bicycle\n\n## Tyres\n\nInflate the tyres to 4.5 bar before every ride.\n\n"
                               "## Chain\n\nOil the chain every 300 kilometres.\n", encoding="utf-8")
    (d / "gezi.txt").write_text("Gezi notları\n\nİstanbul'da ılık bir gün geçirdik. Şişli'de kahve içtik.\n",
                                encoding="utf-8")
    return d


def test_add_search_and_ask_with_citations(library, hearth_home, starter_model):
    (library / "empty.txt").write_bytes(b"")
    (library / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> trailer")
    r = hearth(["add", "notes", str(library), "--embed-model", str(starter_model)], hearth_home)
    assert r.returncode == 0, r.stderr
    assert "3 documents indexed" in r.stdout and "2 with problems" in r.stdout
    assert "skipped" in r.stderr and "empty.txt" in r.stderr and "broken.pdf" in r.stderr
    assert "Traceback" not in r.stderr
    r = hearth(["search", "notes", "How often should the boiler be descaled?", "--json"], hearth_home)
    rows = json.loads(r.stdout)
    assert rows[0]["file"].endswith("manual.pdf") and rows[0]["page"] == 2 and "90 days" in rows[0]["text"]
    assert set(rows[0]) == {"file", "page", "heading", "text", "score"}
    r = hearth(["search", "notes", "ISTANBUL ILIK", "--json", "--k", "1"], hearth_home)  # Turkish casing
    assert json.loads(r.stdout)[0]["file"].endswith("gezi.txt")
    r = hearth(["ask", "notes", "How long does the warranty last?", "--model", str(starter_model), "--json",
                "--temperature", "0", "--max-tokens", "60"], hearth_home)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["answer"].strip() and isinstance(out["citations"], list)
    # every citation points at a real passage (dangling numbers are dropped)
    assert all(c["file"].endswith((".pdf", ".md", ".txt")) and c["n"] >= 1 for c in out["citations"])
    listing = json.loads(hearth(["list", "notes", "--json"], hearth_home).stdout)
    states = {Path(d["path"]).name: (d["status"], d["message"]) for d in listing}
    assert states["manual.pdf"][0] == "indexed" and states["empty.txt"][0] == "error"
    assert "empty" in states["empty.txt"][1]
    # bad input: one line, exit 2
    r = hearth(["search", "nothing-here", "query"], hearth_home)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "No collection called" in r.stderr


def test_kill_during_indexing_then_resume(tmp_path, hearth_home, starter_model, qapp):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(12):
        (d / f"note{i:02}.md").write_text(f"# Note {i}\n\n" + "\n\n".join(
            f"Paragraph {j} of note {i}: the harbour town keeps {i * 10 + j} boats and a lighthouse." for j in range(8)),
            encoding="utf-8")
    env = dict(os.environ, HEARTH_HOME=str(hearth_home))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "docs", "add", "harbour", str(d),
                             "--embed-model", str(starter_model)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = hearth_home / "data" / "documents.sqlite3"

    def indexed() -> int:
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                return conn.execute("SELECT COUNT(*) FROM documents WHERE status='indexed'").fetchone()[0]
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + 240
    while indexed() < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = indexed()
    assert 3 <= before < 12, before
    with sqlite3.connect(db) as conn:  # the file in progress left nothing half-written
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("SELECT COUNT(*) FROM documents d WHERE d.status='indexed' AND d.n_chunks != "
                               "(SELECT COUNT(*) FROM chunks c WHERE c.document_id=d.id)").fetchone()[0]
        assert partial == 0
        fts = conn.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        chunks = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        assert fts == chunks
    r = hearth(["add", "harbour"], hearth_home)  # resume: only what is missing
    assert r.returncode == 0, r.stderr
    assert "12 documents indexed" in r.stdout
    assert f"0/{12 - before} files" in r.stderr  # the already indexed files were not done again
    # a changed file is indexed again, a deleted one leaves the index
    (d / "note00.md").write_text("# Note 0\n\nThe lighthouse keeper is called Ada Morgan.\n", encoding="utf-8")
    (d / "note01.md").unlink()
    r = hearth(["add", "harbour"], hearth_home)
    assert "11 documents indexed" in r.stdout and "0/1 files" in r.stderr
    rows = json.loads(hearth(["search", "harbour", "What is the lighthouse keeper called?", "--json", "--k", "3"],
                             hearth_home).stdout)
    assert any("Ada Morgan" in x["text"] for x in rows)
    assert not any(x["file"].endswith("note01.md") for x in rows)


def test_offline_mode_docs_make_no_connection(library, hearth_home, starter_model, monkeypatch):
    """The docs commands run in this process with an audit hook watching sockets and name lookups."""
    from app.cli import main
    from tests.privacy.session import NetAudit, network_events

    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    (hearth_home / "config" / "settings.json").write_text(json.dumps({"offline_mode": True}))
    monkeypatch.setenv("HEARTH_HOME", str(hearth_home))
    audit = NetAudit.get()
    with audit.record() as events:
        assert main(["docs", "add", "lib", str(library), "--embed-model", str(starter_model)]) == 0
        assert main(["docs", "search", "lib", "warranty", "--json"]) == 0
    assert network_events(events) == []
