"""The chat store: conversations as message trees in one SQLite file (Qt-free).

See ``store.py`` for threading and transactions, ``export.py`` for the JSON format, ``salvage.py`` for what
to do with a damaged database, ``search.py`` for snippet markers.
"""
from app.core.chats.errors import StoreError
from app.core.chats.export import FORMAT as EXPORT_FORMAT, VERSION as EXPORT_VERSION
from app.core.chats.records import DEFAULT_TITLE, ROLES, STATES, Conversation, Message, SearchHit, derive_title
from app.core.chats.salvage import restore, salvage, set_aside
from app.core.chats.schema import LATEST as SCHEMA_VERSION
from app.core.chats.search import SNIPPET_CLOSE, SNIPPET_OPEN, snippet_html, snippet_plain, split_snippet
from app.core.chats.store import ChatStore

__all__ = [
    "ChatStore", "Conversation", "Message", "SearchHit", "StoreError", "salvage", "restore", "set_aside",
    "DEFAULT_TITLE", "ROLES", "STATES", "SCHEMA_VERSION", "EXPORT_FORMAT", "EXPORT_VERSION", "derive_title",
    "SNIPPET_OPEN", "SNIPPET_CLOSE", "split_snippet", "snippet_html", "snippet_plain",
]
