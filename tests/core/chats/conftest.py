"""Fixtures for the chat store tests: real SQLite files in tmp dirs."""
from __future__ import annotations

import pytest

from app.core.chats import ChatStore


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "chats.sqlite3"


@pytest.fixture
def store(db_path):
    s = ChatStore(db_path)
    yield s
    s.close()
