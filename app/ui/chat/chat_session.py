"""The chat controller (GUI thread): one conversation on screen, its branch, and the reply being streamed.

It ties the chat store (SQLite, in ``app/core/chats``), the engine client (worker thread) and the message
list model together. The streaming reply is written to the database at least twice a second, so a crash
loses well under a second of text; on the next start the store marks it "interrupted".
"""
from __future__ import annotations

import dataclasses
import functools
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.units import number
from app.core.chats.settings import ChatSettings
from app.core.chats import StoreError
from app.core.engine.context_budget import POLICIES
from app.core.engine import GenerationRequest
from app.core.remote import is_model_key
from app.ui.chat.engine_client import EngineClient
from app.ui.chat.message_model import MessageListModel, ViewMessage
from app.ui.common.i18n import translate
from app.ui.common.markdown import strip_thoughts

log = logging.getLogger("hearth.chat")


def reports_store_errors(method):
    """A database problem in a user action (full disk, a read-only recovered database ...) becomes a message
    in the chat instead of an unexpected-error dialog; the action simply does not happen."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError as exc:
            log.warning("%s failed: %s", method.__name__, exc)
            self.error.emit(str(exc))
            return None

    return wrapper

FLUSH_MS = 500  # streaming text reaches the database at least this often
MIN_APPLY_MS = 50  # the streaming reply on screen is updated at most 20 times a second ...
MAX_APPLY_MS = 400  # ... and at least every 0.4 s
NOTICE_ID = -1


@dataclass
class _Streaming:
    gen: int
    message_id: int
    excluded: list[int] = field(default_factory=list)
    dirty: bool = False
    stopped: bool = False
    sources: list = field(default_factory=list)  # document passages in this reply's prompt (dicts)
    model_name: str = ""


class ChatSession(QObject):
    conversations_changed = Signal()
    current_changed = Signal(object)  # conversation id or None
    settings_changed = Signal(object)  # ChatSettings of the current conversation
    context_changed = Signal(int, int)  # tokens used, context size
    generating_changed = Signal(bool)
    error = Signal(str)
    status = Signal(str)
    decision_needed = Signal(str)  # the conversation does not fit and the policy is "stop and ask"
    empty_reply = Signal()  # a reply finished with no text at all (often a wrong chat format)

    def __init__(self, store, engine: EngineClient, model: MessageListModel, defaults: ChatSettings | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.engine = engine
        self.model = model
        self.cid: int | None = None
        self.settings = defaults or ChatSettings()
        self._defaults = ChatSettings.from_dict(self.settings.to_dict())
        self.branch: list = []  # store Messages on screen, root..leaf
        self.streaming: _Streaming | None = None
        self._pending_request: GenerationRequest | None = None
        self._count_request = 0
        # the adapters a reply uses, (path, scale): the page gives the settings panel's (ticked and fitting the
        # loaded model); without a page, every ticked one
        self.adapters_source: Callable[[], list] = lambda: self.settings.active_adapters()
        self._pending: list[str] = []  # streamed text not yet on screen
        self._apply_interval_ms = 0  # the first token shows at once
        self._apply_timer = QTimer(self, singleShot=True)
        self._apply_timer.timeout.connect(self._apply_pending)
        self.paint_cost: Callable[[], float] = lambda: 0.0  # seconds the view took to paint last (set by the page)
        self._flush = QTimer(self)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self.flush)
        engine.delta.connect(self._on_delta)
        engine.finished.connect(self._on_finished)
        engine.failed.connect(self._on_failed)
        engine.context_info.connect(self._on_context_info)
        engine.sources.connect(self._on_sources)
        engine.tokens_counted.connect(self._on_tokens_counted)
        engine.loaded.connect(lambda _info: self.refresh_context())
        n = store.mark_interrupted()
        if n:
            log.info("%d replies were interrupted by the last exit", n)

    # ---- conversations --------------------------------------------------------------------------------------
    def new_chat(self) -> None:
        self.stop()
        self.cid = None
        self.branch = []
        self.settings = ChatSettings.from_dict(self._defaults.to_dict())
        self.model.set_messages([])
        self.current_changed.emit(None)
        self.settings_changed.emit(self.settings)
        self.context_changed.emit(0, self.engine.info.n_ctx if self.engine.info else 0)

    @reports_store_errors
    def open(self, cid: int, leaf_id: int | None = None) -> None:
        if self.streaming and cid != self.cid:
            self.stop()
        conv = self.store.get_conversation(cid)
        self.cid = cid
        self.settings = ChatSettings.from_dict(conv.settings)
        if leaf_id is not None:
            self.store.set_current_leaf(cid, leaf_id)
        self._reload()
        self.current_changed.emit(cid)
        self.settings_changed.emit(self.settings)
        self.refresh_context()

    @reports_store_errors
    def rename(self, cid: int, title: str) -> None:
        self.store.rename_conversation(cid, title.strip() or translate("ChatSession", "Untitled"))
        self.conversations_changed.emit()

    @reports_store_errors
    def delete_conversation(self, cid: int) -> None:
        if cid == self.cid:
            self.stop()
        self.store.delete_conversation(cid)
        if cid == self.cid:
            self.new_chat()
        self.conversations_changed.emit()

    @reports_store_errors
    def save_settings(self, settings: ChatSettings) -> None:
        self.settings = settings
        self._defaults = ChatSettings.from_dict(settings.to_dict())
        self._defaults.model = ""
        if self.cid is not None:
            self.store.update_conversation_settings(self.cid, settings.to_dict())

    # ---- the view ------------------------------------------------------------------------------------------
    def _reload(self) -> None:
        if self.cid is None:
            self.branch, positions = [], {}
        else:
            self.branch, positions = self.store.branch_and_positions(self.cid)
        self.model.set_messages(self._view_rows(positions))

    def _excluded_for_view(self) -> list[int]:
        if self.streaming and self.streaming.excluded:
            return self.streaming.excluded
        for m in reversed(self.branch):
            if m.state == "streaming":  # a reply just started: the last finished one's view holds until it reports
                continue
            if m.role == "assistant" and (m.stats or {}).get("excluded_ids"):
                return list(m.stats["excluded_ids"])
            if m.role == "assistant" and m.stats:
                return []
        return []

    def _view_rows(self, positions: dict[int, tuple[int, int]] | None = None) -> list[ViewMessage]:
        """The rows the chat view shows for the current branch (``positions``: the sibling positions, when the
        caller has just read them)."""
        excluded = set(self._excluded_for_view())
        rows: list[ViewMessage] = []
        notice_done = False
        policy = POLICIES.get(self.settings.overflow_policy, self.settings.overflow_policy)
        if positions is None:
            positions = self.store.sibling_positions(self.cid) if self.cid is not None and self.branch else {}
        seen_excluded = False
        for m in self.branch:
            index, count = positions.get(m.id, (0, 1))
            stats = m.stats or {}
            out = m.id in excluded
            vm = ViewMessage(m.id, m.role, m.content, m.state, dict(stats), stats.get("error", ""), index, count,
                             out, images=list(getattr(m, "images", None) or []))
            if seen_excluded and not notice_done and not out:
                if len(excluded) == 1:
                    notice = translate("ChatSession", "1 earlier message above is left out of the model's view "
                                                      "because the conversation no longer fits its context "
                                                      "({policy}).")
                else:
                    notice = translate("ChatSession", "{count} earlier messages above are left out of the model's "
                                                      "view because the conversation no longer fits its context "
                                                      "({policy}).")
                rows.append(ViewMessage(NOTICE_ID, "notice",
                                        notice.format(count=number(len(excluded)), policy=policy)))
                notice_done = True
            seen_excluded = seen_excluded or out
            rows.append(vm)
        return rows

    def _show_rows(self, wanted: list[ViewMessage]) -> None:
        """Show ``wanted``; when it only adds rows after the ones shown (a new turn), append them instead of
        resetting the whole view (a long conversation would be laid out again)."""
        current = self.model.messages()
        n = len(current)

        def same(a: ViewMessage, b: ViewMessage) -> bool:
            return (a.id, a.excluded, a.state, a.sibling_index, a.sibling_count, a.text) == (
                b.id, b.excluded, b.state, b.sibling_index, b.sibling_count, b.text)

        if len(wanted) >= n and all(same(a, b) for a, b in zip(current, wanted)):
            for row, vm in enumerate(wanted[n:], start=n):
                self.model.insert(row, vm)
        else:
            self.model.set_messages(wanted)

    def _show_exclusions(self) -> None:
        """Mark the messages left out of the model's view and move the notice, without rebuilding every row."""
        wanted = self._view_rows()
        current = self.model.messages()
        if [m.id for m in wanted if m.id != NOTICE_ID] != [m.id for m in current if m.id != NOTICE_ID]:
            self.model.set_messages(wanted)
            return
        old_notice = self.model.row_of(NOTICE_ID)
        if old_notice >= 0:
            self.model.remove_rows(old_notice, old_notice)
        self.model.set_excluded(set(self._excluded_for_view()))
        new_notice = next((i for i, m in enumerate(wanted) if m.id == NOTICE_ID), -1)
        if new_notice >= 0:
            self.model.insert(new_notice, wanted[new_notice])

    def refresh_context(self) -> None:
        """Ask the engine how many tokens the conversation takes now (for the context meter)."""
        if self.engine.info is None:
            self.context_changed.emit(0, 0)
            return
        msgs = self.history(self.branch)
        if not msgs:
            self.context_changed.emit(0, self.engine.info.n_ctx)
            return
        self._count_request = self.engine.count_tokens(msgs)

    def _on_tokens_counted(self, request_id: int, n: int, n_ctx: int) -> None:
        if request_id == self._count_request and n >= 0:
            self.context_changed.emit(n, n_ctx)

    def history(self, messages) -> list[dict]:
        """What the model sees of ``messages``: the system prompt, then finished turns without their thoughts.
        A user message with images carries them as ``"images": [data URIs]`` (every such message of the branch,
        not only the last: the engine keeps its KV cache prefix across turns); it may have no text."""
        out: list[dict] = []
        if self.settings.system_prompt.strip():
            out.append({"role": "system", "content": self.settings.system_prompt.strip(), "id": NOTICE_ID})
        for m in messages:
            images = list(getattr(m, "images", None) or []) if m.role == "user" else []
            if m.role not in ("user", "assistant", "system") or m.state == "error" or not (m.content or images):
                continue
            content = strip_thoughts(m.content) if m.role == "assistant" else m.content
            if content.strip() or images:
                out.append({"role": m.role, "content": content, "id": m.id, **({"images": images} if images else {})})
        return out

    # ---- sending --------------------------------------------------------------------------------------------
    @property
    def generating(self) -> bool:
        return self.streaming is not None

    def _ensure_conversation(self, first_text: str) -> None:
        if self.cid is None:
            conv = self.store.create_conversation(settings=self.settings.to_dict())
            self.cid = conv.id
            self.store.auto_title(self.cid, first_text)
            self.current_changed.emit(self.cid)
            self.conversations_changed.emit()

    def _can_generate(self) -> bool:
        if self.engine.info is None:
            self.error.emit(translate("ChatSession", "Load a model first: pick one above and press Load."))
            return False
        if self.streaming is not None:
            return False
        return True

    @reports_store_errors
    def send(self, text: str, images: list[str] | None = None) -> bool:
        """Store the user's message (with its ``images``, data URIs; the text may then be empty) and start the
        reply."""
        text = text.strip()
        images = list(images or [])
        if not (text or images) or not self._can_generate():
            return False
        self._ensure_conversation(text or translate("ChatSession", "Image"))
        parent = self.branch[-1].id if self.branch else None
        user = self.store.add_message(self.cid, parent, "user", text, images=images)
        self._start_reply(self.branch + [user])
        return True

    @reports_store_errors
    def regenerate(self, message_id: int) -> None:
        """A new reply to the same question, as a sibling of ``message_id``; the old reply stays reachable."""
        if not self._can_generate():
            return
        m = self.store.get_message(message_id)
        if m.role != "assistant" or m.parent_id is None:
            return
        self._start_reply(self.store.path_to(m.parent_id))

    @reports_store_errors
    def edit(self, message_id: int, new_text: str, images: list[str] | None = None) -> bool:
        """An edited user message becomes a new branch beside the original; nothing is deleted. It keeps the
        original's images, followed by ``images`` (newly attached ones)."""
        new_text = new_text.strip()
        m = self.store.get_message(message_id)
        images = list(m.images) + list(images or [])
        if not (new_text or images) or not self._can_generate():
            return False
        if m.role != "user":
            return False
        user = self.store.add_message(self.cid, m.parent_id, "user", new_text, images=images)
        path = self.store.path_to(m.parent_id) if m.parent_id is not None else []
        self._start_reply(path + [user])
        return True

    def _start_reply(self, path: list) -> None:
        info = self.engine.info
        self.settings.model = info.path
        self.store.update_conversation_settings(self.cid, self.settings.to_dict())
        reply = self.store.add_message(self.cid, path[-1].id, "assistant", "", state="streaming",
                                       stats={"model": info.name})
        self.branch = path + [reply]
        self._show_rows(self._view_rows())
        req = GenerationRequest(messages=self.history(path), sampling=self.settings.sampling(),
                                policy=self.settings.overflow_policy, cache_key=self.cid,
                                adapters=list(self.adapters_source()) if not is_model_key(info.path) else [])
        self._begin(req, reply.id, info.name)
        self.conversations_changed.emit()

    def _begin(self, req: GenerationRequest, message_id: int, model_name: str) -> None:
        self._pending_request = req
        self._pending.clear()
        self._apply_interval_ms = 0
        gen = self.engine.generate(req, self.settings.collection)
        self.streaming = _Streaming(gen, message_id, model_name=model_name)
        self._flush.start()
        self.generating_changed.emit(True)

    _asked_message: int | None = None  # the reply waiting for the user's overflow decision

    @reports_store_errors
    def continue_with_policy(self, policy: str | None) -> None:
        """Answer to ``decision_needed``: retry this turn with ``policy``, or None to give up."""
        req = self._pending_request
        target = self._asked_message
        self._asked_message = None
        if req is None or target is None:
            return
        if policy is None:
            self._finish_message(target, "error",
                                 {"error": translate("ChatSession", "Not sent: the conversation does not fit.")})
            return
        req = dataclasses.replace(req, policy=policy)
        self.store.update_message(target, state="streaming", stats={"model": self.engine.info.name})
        self._reload()
        self._begin(req, target, self.engine.info.name)

    # ---- streaming ------------------------------------------------------------------------------------------
    def stop(self) -> None:
        s = self.streaming
        if s is None:
            return
        self.engine.stop()
        self._apply_pending()  # what arrived before Stop is shown; nothing after it
        s.stopped = True
        row = self.model.row_of(s.message_id)
        if row >= 0:
            self.model.update(row, state="stopped")
        self.flush(state="stopped")

    def _on_context_info(self, gen: int, used: int, n_ctx: int, excluded) -> None:
        s = self.streaming
        if s is None or gen != s.gen:
            return
        self.context_changed.emit(used, n_ctx)
        if list(excluded) != s.excluded:
            s.excluded = list(excluded)
            self._show_exclusions()

    def _on_delta(self, gen: int, text: str) -> None:
        s = self.streaming
        if s is None or gen != s.gen or s.stopped:
            return
        self._pending.append(text)
        if not self._apply_timer.isActive():
            self._apply_timer.start(self._apply_interval_ms)

    def _apply_pending(self) -> None:
        """Show the text that arrived since the last update. How often this runs adapts to what showing costs:
        the GUI thread spends at most ~3% of its time re-rendering the growing reply (a long reply in one
        Markdown block costs more per update), so it never takes the cores llama.cpp generates on."""
        self._apply_timer.stop()
        s = self.streaming
        if s is None or not self._pending:
            self._pending.clear()
            return
        text = "".join(self._pending)
        self._pending.clear()
        row = self.model.row_of(s.message_id)
        if row < 0:
            return
        t0 = time.perf_counter()
        self.model.append_text(row, text)
        s.dirty = True
        cost = time.perf_counter() - t0 + self.paint_cost()
        self._apply_interval_ms = int(min(MAX_APPLY_MS, max(MIN_APPLY_MS, cost * 1000 * 30)))

    def flush(self, state: str | None = None) -> None:
        """Write the streaming reply's text to the database (called by the timer, on stop and at the end)."""
        s = self.streaming
        if s is None:
            return
        self._apply_pending()
        row = self.model.row_of(s.message_id)
        if row < 0:
            return
        if s.dirty or state:
            try:
                self.store.update_message(s.message_id, content=self.model.message(row).text, state=state)
            except Exception as exc:  # a full disk must not kill the chat; say it
                log.error("could not save the reply: %s", exc)
                self.error.emit(translate("ChatSession", "Could not save the reply: {error}").format(error=exc))
            s.dirty = False

    def _on_sources(self, gen: int, passages) -> None:
        s = self.streaming
        if s is not None and gen == s.gen:
            s.sources = list(passages)

    def _add_sources(self, s: _Streaming, d: dict) -> None:
        """The passages the reply was given, each marked ``cited`` when the reply cites its number (a number that
        points at no passage is dropped: it is not a source)."""
        if not s.sources:
            return
        from app.core.docs.answer import CITATION

        row = self.model.row_of(s.message_id)
        text = self.model.message(row).text if row >= 0 else ""
        valid = {p.get("n") for p in s.sources}
        cited = {int(m.group(1)) for m in CITATION.finditer(text)} & valid
        matched = None
        if not cited:  # the model cited nothing: name the passage that holds the reply's words, marked as such
            from app.core.docs.answer import Passage, matching
            from app.core.docs.store import StoredChunk

            given = [Passage(p.get("n"), StoredChunk(0, 0, p.get("file", ""), p.get("page"), p.get("heading", ""),
                                                     p.get("start", 0), p.get("end", 0), p.get("text", "")))
                     for p in s.sources]
            found = matching(text, given)
            matched = found.n if found else None
        d["sources"] = [{**p, "cited": p.get("n") in cited or p.get("n") == matched,
                         **({"matched": True} if p.get("n") == matched else {})} for p in s.sources]

    def _finish_message(self, message_id: int, state: str, stats: dict) -> None:
        row = self.model.row_of(message_id)
        text = self.model.message(row).text if row >= 0 else None
        self.store.update_message(message_id, content=text, state=state, stats=stats)
        if row >= 0:
            self.model.update(row, state=state, stats=stats, error=stats.get("error", ""))
        # the reply is the branch's last message: update it in place (re-reading a long branch costs ~25 ms)
        m = self.branch[-1] if self.branch else None
        if m is not None and m.id == message_id:
            if text is not None:
                m.content = text
            m.state, m.stats, m.updated_at = state, dict(stats), time.time()
        else:
            self.branch = self.store.branch(self.cid) if self.cid is not None else []

    def _end(self) -> None:
        self._flush.stop()
        self.streaming = None
        self.generating_changed.emit(False)
        self.conversations_changed.emit()

    def _on_finished(self, gen: int, stats) -> None:
        s = self.streaming
        if s is None or gen != s.gen:
            return
        if not s.stopped:
            self._apply_pending()
        d = stats.to_dict()
        d["model"] = s.model_name
        d["excluded_ids"] = s.excluded
        self._add_sources(s, d)
        state = "stopped" if s.stopped or stats.stop_reason == "stopped" else "done"
        if state == "stopped":
            d["stop_reason"] = "stopped"
        self._finish_message(s.message_id, state, d)
        row = self.model.row_of(s.message_id)
        empty = state == "done" and row >= 0 and not self.model.message(row).text.strip()
        self._end()
        if empty:
            self.empty_reply.emit()
        self.context_changed.emit(stats.prompt_tokens + stats.completion_tokens,
                                  self.engine.info.n_ctx if self.engine.info else 0)

    def _on_failed(self, gen: int, message: str, stats) -> None:
        s = self.streaming
        if s is None or gen != s.gen:
            return
        if not s.stopped:
            self._apply_pending()
        if stats.stop_reason == "ask":
            self._flush.stop()
            self.streaming = None
            self._asked_message = s.message_id
            self.generating_changed.emit(False)
            self.decision_needed.emit(message)
            return
        d = stats.to_dict()
        d["model"] = s.model_name
        d["error"] = message
        self._add_sources(s, d)
        # the engine process died mid-reply: the text so far is kept, marked interrupted
        self._finish_message(s.message_id, "interrupted" if stats.stop_reason == "interrupted" else "error", d)
        self._end()
        self.error.emit(message)

    # ---- branches and deletion -------------------------------------------------------------------------------
    @reports_store_errors
    def switch_sibling(self, message_id: int, delta: int) -> None:
        if self.streaming:
            return
        sibs = self.store.siblings(message_id)
        i = next((k for k, m in enumerate(sibs) if m.id == message_id), 0) + delta
        if 0 <= i < len(sibs):
            leaf = self.store.leaf_of(sibs[i].id)
            self.store.set_current_leaf(self.cid, leaf)
            self._reload()
            self.refresh_context()

    @reports_store_errors
    def delete_message(self, message_id: int) -> int:
        if self.streaming:
            self.stop()
        n = self.store.delete_subtree(message_id)
        self._reload()
        self.conversations_changed.emit()
        self.refresh_context()
        return n

    def subtree_size(self, message_id: int) -> int:
        count, todo = 0, [message_id]
        while todo:
            mid = todo.pop()
            count += 1
            todo.extend(c.id for c in self.store.children(self.cid, mid))
        return count

    def shutdown(self) -> None:
        if self.streaming:
            self.stop()
        self._flush.stop()

