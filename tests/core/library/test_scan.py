"""scan_models_dir: which files of the models folder are listed, in which order, with which names and sizes."""
from __future__ import annotations

import os

import pytest

from app.core.library import scan_models_dir


def _write(p, n: int = 1) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(b"x" * n)


def test_lists_loadable_files_folder_by_folder(tmp_path):
    md = tmp_path / "models"
    _write(md / "top.gguf", 10)
    _write(md / "owner" / "repo" / "b.gguf", 2)
    _write(md / "owner" / "repo" / "A.GGUF", 3)
    _write(md / "owner" / "repo" / "sub" / "deep.gguf", 4)
    _write(md / "owner" / "repo" / "m-00001-of-00002.gguf", 5)
    _write(md / "owner" / "repo" / "m-00002-of-00002.gguf", 6)  # later shard: counted in the first one's size
    _write(md / "owner" / "repo" / "mmproj-vision.gguf")  # a projector, not a model
    _write(md / "owner" / "repo" / "notes.txt")
    _write(md / ".partial" / "owner" / "repo" / "half.gguf")  # hidden folders: unverified downloads
    (md / "owner" / "repo" / "folder.gguf").mkdir()
    _write(md / "aaa" / "x" / "first.gguf", 7)
    got = [(m.repo_id, m.filename, m.size) for m in scan_models_dir(md)]
    assert got == [("", "top.gguf", 10),
                   ("aaa/x", "first.gguf", 7),
                   ("owner/repo", "A.GGUF", 3), ("owner/repo", "b.gguf", 2),
                   ("owner/repo", "m-00001-of-00002.gguf", 11),
                   ("owner/repo", os.path.join("sub", "deep.gguf"), 4)]
    assert all(m.path.is_file() and m.source == "hearth" for m in scan_models_dir(md))
    assert scan_models_dir(tmp_path / "missing") == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinks_files_followed_folders_not(tmp_path):
    md = tmp_path / "models"
    _write(md / "o" / "r" / "real.gguf", 5)
    os.symlink(md / "o" / "r" / "real.gguf", md / "o" / "r" / "link.gguf")
    os.symlink(md / "o" / "r" / "gone.gguf", md / "o" / "r" / "broken.gguf")
    os.symlink(md / "o" / "r", md / "o" / "looped")
    got = [(m.repo_id, m.filename, m.size) for m in scan_models_dir(md)]
    assert got == [("o/r", "link.gguf", 5), ("o/r", "real.gguf", 5)]
