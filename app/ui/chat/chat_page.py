"""The Chat page: conversations sidebar, model bar, messages, context meter, composer, settings panel."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox,
                               QPushButton, QSizePolicy, QSplitter, QVBoxLayout, QWidget)

from app.core.chats.settings import ChatSettings
from app.core.engine.context_budget import POLICIES
from app.core.engine import LoadOptions
from app.core.library.names import display_name
from app.core.remote import is_model_key, model_key
from app.core.units import human_bytes, number
from app.ui.context import AppContext
from app.ui.chat.attachments import MAX_IMAGES, AttachmentStrip
from app.ui.chat.chat_session import ChatSession
from app.ui.chat.chat_view import ChatView
from app.ui.chat.chat_widgets import Composer, ContextMeter
from app.ui.chat.conversation_list import ConversationSidebar
from app.ui.chat.engine_client import EngineClient
from app.ui.chat.message_model import MessageListModel, ViewMessage
from app.ui.chat.recovery import RecoveryBar, Trouble, open_store
from app.ui.chat.settings_panel import SettingsPanel
from app.ui.chat.conversation_files import ConversationFiles
from app.ui.chat.engine_events import EngineEvents
from app.ui.chat.image_attaching import ImageAttaching
from app.ui.common.i18n import translate
from app.ui.common.page import Page
from app.ui.common.tasks import TaskRunner

WARM_UP_MS = 1500
WARM_UP_TEXT = ("## Heading\n\nSome **bold**, *italic* and `code` text with a [link](https://example.org).\n\n"
                "- one\n- two\n\n1. first\n\n> quote\n\n```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")

log = logging.getLogger("hearth.chat")


ROLE_NAME = Qt.UserRole + 1  # the picker's items: the model's display name
NARROW_BELOW = 1000  # px of the Chat page under which the conversations and the settings take turns
class ChatPage(EngineEvents, ConversationFiles, ImageAttaching, Page):
    starter_requested = Signal()  # the empty state's "Download a starter model"
    models_import_requested = Signal(list)  # the empty state's "Import a model file…": the chosen paths
    def __init__(self, ctx: AppContext, engine: EngineClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engine = engine
        # a damaged database opens read-only (or empty, in memory), with a recovery banner
        self.store, trouble = open_store(Path(ctx.paths.chats_db))
        self.recovery_bar: RecoveryBar | None = None
        if trouble is not None:
            QTimer.singleShot(0, self, lambda: self._show_recovery(trouble))
        self._editing: int | None = None
        self._unload_reason = ""

        # --- model bar ---
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName(translate("ChatPage", "Model"))
        self.model_combo.setMinimumWidth(120)
        self.model_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)  # long names elide
        self.model_combo.setMinimumContentsLength(14)
        self.model_combo.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.load_button = QPushButton(translate("ChatPage", "Load"))
        self.load_button.setAccessibleName(translate("ChatPage", "Load model"))
        self.load_button.clicked.connect(self.load_selected)
        self.unload_button = QPushButton(translate("ChatPage", "Unload"))
        self.unload_button.setAccessibleName(translate("ChatPage", "Unload model"))
        self.unload_button.clicked.connect(self.engine.unload)
        self.settings_button = QPushButton(translate("ChatPage", "Settings"))
        self.settings_button.setAccessibleName(translate("ChatPage", "Chat settings"))
        self.settings_button.setCheckable(True)
        self.settings_button.setChecked(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("ChatPage", "Model:")))
        top.addWidget(self.model_combo, 1)
        top.addWidget(self.load_button)
        top.addWidget(self.unload_button)
        top.addWidget(self.settings_button)

        # --- banners ---
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setProperty("banner", "error")
        self.banner.setAccessibleName(translate("ChatPage", "Error"))
        self.banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.banner.hide()
        self.retry_safe_button = QPushButton(translate("ChatPage", "Retry with safe settings"))
        self.retry_safe_button.setAccessibleName(translate("ChatPage", "Retry with safe settings"))
        self.retry_safe_button.clicked.connect(self.retry_safely)
        self.retry_safe_button.hide()
        self._safe_retry: tuple[str, LoadOptions] | None = None
        self._send_after_load = False  # Send was pressed with a model picked but not loaded: send once it is
        self._restarting = ""  # the crash being recovered from, until the engine is back
        self._retry_shown = False  # the status line says a busy remote server is being asked again
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setProperty("banner", "info")
        self.empty_hint.setAccessibleName(translate("ChatPage", "Hint"))
        self.empty_hint.hide()
        self.starter_button = QPushButton(translate("ChatPage", "Download a starter model"))
        self.starter_button.setAccessibleName(translate("ChatPage", "Download a starter model"))
        self.starter_button.setToolTip(translate("ChatPage", "SmolLM2 135M Instruct (98 MB) from Hugging Face: small, "
                                                             "fast, good for a first try"))
        self.starter_button.setProperty("primary", True)
        self.starter_button.clicked.connect(self.starter_requested)
        self.import_model_button = QPushButton(translate("ChatPage", "Import a model file…"))
        self.import_model_button.setAccessibleName(translate("ChatPage", "Import a model file"))
        self.import_model_button.setToolTip(translate("ChatPage",
                                                      "A .gguf file you already have; it is used where it is"))
        self.import_model_button.clicked.connect(self._import_model_files)
        self.empty_actions = QWidget()
        row = QHBoxLayout(self.empty_actions)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.starter_button)
        row.addWidget(self.import_model_button)
        row.addStretch(1)
        self.empty_actions.hide()

        # --- messages ---
        self.model = MessageListModel(self)
        self.view = ChatView(self.model)
        self.view.action.connect(self._on_action)
        self.meter = ContextMeter()

        # --- composer ---
        self.edit_banner = QLabel("")
        self.edit_banner.setProperty("banner", "info")
        self.edit_banner.setAccessibleName(translate("ChatPage", "Editing"))
        self.edit_banner.hide()
        self.input = Composer()
        self.input.setAccessibleName(translate("ChatPage", "Message"))
        self.input.setPlaceholderText(translate("ChatPage", "Write a message… (Enter or Ctrl+Enter to send, "
                                                            "Shift+Enter for a new line)"))
        self._composer_placeholder = self.input.placeholderText()
        self.input.setFixedHeight(84)
        self.input.send_requested.connect(self.send)
        self.input.images_given.connect(self.attach_images)
        self.attachments = AttachmentStrip()
        self._image_runner: TaskRunner | None = None  # made at the first image
        self._image_jobs: dict[int, str] = {}  # token -> the image's name, while it is prepared
        self._send_after_images = False  # Send was pressed while an image was being prepared
        self._status_before_images = ""  # the status line the "Preparing…" text stands in for
        self._preparing_status = ""  # the "Preparing…" text last put on the status line
        self._waiting_status = ""  # the "Waiting for the model…" text last put on the status line
        self.attach_button = QPushButton(translate("ChatPage", "Attach…"))
        self.attach_button.setAccessibleName(translate("ChatPage", "Attach image"))
        self.attach_button.setToolTip(translate("ChatPage", "Attach an image to the message (PNG, JPEG, WebP, …). "
                                                            "You can also paste one into the message box or drop "
                                                            "image files here; up to {count}.").format(
            count=MAX_IMAGES))
        self.attach_button.clicked.connect(self.choose_images)
        self.setAcceptDrops(True)
        self.send_button = QPushButton(translate("ChatPage", "Send"))
        self.send_button.setAccessibleName(translate("ChatPage", "Send"))
        self.send_button.setProperty("primary", True)
        self.send_button.setToolTip(translate("ChatPage", "Send (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(translate("ChatPage", "Stop"))
        self.stop_button.setAccessibleName(translate("ChatPage", "Stop"))
        self.stop_button.setToolTip(translate("ChatPage", "Stop generating (Esc)"))
        self.stop_button.clicked.connect(self.stop)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.attach_button)
        buttons.addStretch(1)
        composer = QHBoxLayout()
        composer.addWidget(self.input, 1)
        composer.addLayout(buttons)
        self.status = QLabel("")
        self.status.setProperty("muted", True)
        self.status.setAccessibleName(translate("ChatPage", "Chat status"))

        center = QWidget()
        clay = QVBoxLayout(center)
        clay.setContentsMargins(8, 0, 8, 0)
        clay.addLayout(top)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.retry_safe_button, 0, Qt.AlignTop)
        clay.addLayout(banner_row)
        clay.addWidget(self.empty_hint)
        clay.addWidget(self.empty_actions)
        clay.addWidget(self.view, 1)
        clay.addWidget(self.meter)
        clay.addWidget(self.edit_banner)
        clay.addWidget(self.attachments)
        clay.addLayout(composer)
        clay.addWidget(self.status)

        # --- session, sidebar, settings ---
        self.session = ChatSession(self.store, engine, self.model, self._default_chat_settings(), self)
        self.session.paint_cost = lambda: self.view.last_paint_s
        self.sidebar = ConversationSidebar(self.store)
        self.new_chat_button = self.sidebar.new_button
        self.panel = SettingsPanel(ctx.settings, self.store, library=ctx.library)
        self.session.adapters_source = self.panel.adapters.active_adapters
        self.settings_button.toggled.connect(lambda _on: self._fit_side_panels())
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.sidebar)
        split.addWidget(center)
        split.addWidget(self.panel)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self._split = split
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.addWidget(split)

        self.sidebar.new_requested.connect(self.new_chat)
        self.sidebar.open_requested.connect(self.open_conversation)
        self.sidebar.rename_requested.connect(self.rename_conversation)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.export_requested.connect(self.export_conversation)
        self.sidebar.import_requested.connect(self.import_conversation)
        self.sidebar.search_hit_chosen.connect(self.show_search_hit)
        self.session.conversations_changed.connect(lambda: self.sidebar.refresh(self.session.cid))
        self.session.current_changed.connect(self.sidebar.select)
        self.session.current_changed.connect(self._remember_conversation)
        self.session.settings_changed.connect(self.panel.set_settings)
        self.session.context_changed.connect(self.meter.set_usage)
        self.session.generating_changed.connect(lambda _g: self._update_buttons())
        self.session.error.connect(self.show_error)
        self.session.empty_reply.connect(self._on_empty_reply)
        self.session.decision_needed.connect(self._ask_overflow)
        self.panel.settings_changed.connect(self.session.save_settings)
        self.panel.chat_format_changed.connect(self._chat_format_changed)
        self.panel.load_options_changed.connect(self._load_options_changed)

        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.send)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.send)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self._escape)

        engine.loaded.connect(self._on_loaded)
        engine.load_failed.connect(self._on_load_failed)
        engine.unloaded.connect(self._on_unloaded)
        engine.loading.connect(self._on_loading)
        engine.busy_changed.connect(lambda _b: self._touch())
        engine.crashed.connect(self._on_engine_crashed)
        engine.safe_retry_offered.connect(self._on_safe_retry_offered)
        engine.gave_up.connect(self._on_engine_gave_up)
        engine.notice.connect(self.show_notice)

        self._idle = QTimer(self, singleShot=True)
        self._idle.timeout.connect(self._auto_unload)
        # settings are saved when they change (a burst of changes once), not only on a clean close
        self._save_settings = QTimer(self, singleShot=True, interval=500)
        self._save_settings.timeout.connect(self.ctx.save_settings)
        ctx.library.changed.connect(self.refresh_models)  # downloads, imports, deletes (app/ui/common/catalog_state)
        ctx.backends.changed.connect(self.refresh_models)  # remote backends added, refreshed or removed
        self.refresh_collections()
        self.refresh_models()
        self.model_combo.activated.connect(lambda _i: self._picked())  # picking a model loads it
        self._reopen_last_conversation()
        self.panel.set_settings(self.session.settings)
        self._update_buttons()
        QTimer.singleShot(WARM_UP_MS, self, self._warm_up)

    # ---- coming back where the user left ----------------------------------------------------------------------
    def _reopen_last_conversation(self) -> None:
        cid = self.ctx.settings.last_conversation
        if cid and any(c.id == cid for c in self._conversations()):
            self.open_conversation(cid)

    def _conversations(self) -> list:
        try:
            return self.store.list_conversations()
        except Exception:  # a damaged database: the recovery bar explains it
            return []

    def _remember_conversation(self, cid) -> None:
        value = int(cid) if cid else 0
        if self.ctx.settings.last_conversation != value:
            self.ctx.settings.last_conversation = value
            self._save_settings.start()  # debounced, off the conversation switch itself

    def load_last_model(self) -> None:
        """At start-up (called by the window once it is on screen): the model used last time is loaded again,
        in the engine process, so the first Send is answered without a Load."""
        last = self.ctx.settings.last_model
        if last and self.engine.info is None and not self.engine.loading_path \
                and self.model_combo.currentData() == last and (Path(last).is_file() or is_model_key(last)):
            self.load_selected()

    def _picked(self) -> None:
        path = self.model_combo.currentData()
        if path and (self.engine.info is None or self.engine.info.path != path) and self.engine.loading_path != path:
            self.load_selected()

    def _warm_up(self) -> None:
        """Pay the first-use costs of showing a message (the Markdown parser's set-up, the first text layouts:
        ~15 ms) while the app is idle, not when the user opens their first conversation."""
        sample = ViewMessage(-2, "assistant", WARM_UP_TEXT)
        self.view.painter_.height(sample, 600)
        self.view.painter_.forget(sample.id)

    def model_name(self, path: str) -> str:
        """The model's one display name (as the picker, the Library and the Hardware page show it)."""
        i = self.model_combo.findData(str(path))
        name = self.model_combo.itemData(i, ROLE_NAME) if i >= 0 else None
        return name or display_name(os.path.basename(str(path)))

    def _default_chat_settings(self) -> ChatSettings:
        return ChatSettings.from_dict(self.ctx.settings.extra.get("chat_defaults"))

    # ---- models -------------------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        current = self.model_combo.currentData()
        self.model_combo.clear()
        models = self.ctx.library.catalog.models()
        for m in models:
            self.model_combo.addItem(f"{m.display_name}  ({human_bytes(m.size)})", str(m.path))
            self.model_combo.setItemData(self.model_combo.count() - 1, str(m.path), Qt.ToolTipRole)
            self.model_combo.setItemData(self.model_combo.count() - 1, m.display_name, ROLE_NAME)
        for b in self.ctx.backends.all():  # remote models, marked with their host
            for rm in b.models:
                key = model_key(b.url, rm.id)
                self.model_combo.addItem(f"{rm.id}  @ {b.label}", key)
                if rm.n_ctx and b.public:
                    tip = translate("ChatPage", "{model} on {kind} at {url}, context {n_ctx} tokens: the conversation "
                                                "is sent to that machine on the internet")
                elif rm.n_ctx:
                    tip = translate("ChatPage", "{model} on {kind} at {url}, context {n_ctx} tokens: the conversation "
                                                "is sent to that server")
                elif b.public:
                    tip = translate("ChatPage", "{model} on {kind} at {url}: the conversation is sent to that machine "
                                                "on the internet")
                else:
                    tip = translate("ChatPage", "{model} on {kind} at {url}: the conversation is sent to that server")
                tip = tip.format(model=rm.id, kind=b.kind_name, url=b.url, n_ctx=number(rm.n_ctx) if rm.n_ctx else "")
                self.model_combo.setItemData(self.model_combo.count() - 1, tip, Qt.ToolTipRole)
                self.model_combo.setItemData(self.model_combo.count() - 1, f"{rm.id} @ {b.label}", ROLE_NAME)
        models = models or [b for b in self.ctx.backends.all() if b.models]  # no hint when remote models exist
        wanted = current or self.session.settings.model or self.ctx.settings.last_model
        i = self.model_combo.findData(wanted) if wanted else -1
        if i >= 0:
            self.model_combo.setCurrentIndex(i)
        if not models:
            self.empty_hint.setText(translate(
                "ChatPage", "No models yet. Download the starter model (SmolLM2 135M, 98 MB), import a GGUF file you "
                "already have, or find more on the Models page (Ctrl+2). Models live in {folder}.").format(
                folder=self.ctx.models_dir))
        self.empty_hint.setVisible(not models)
        self.empty_actions.setVisible(not models)
        self._update_buttons()

    def refresh_collections(self) -> None:
        """The document collections a conversation can answer from (called again when the Documents page
        changes them)."""
        from app.core.docs.store import collection_names

        self.panel.set_collections(collection_names(self.ctx.paths.data_dir / "documents.sqlite3"))

    def _import_model_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, translate("ChatPage", "Import a model file"), str(Path.home()),
                                                translate("ChatPage", "GGUF models") + " (*.gguf)")
        if files:
            self.models_import_requested.emit([Path(f) for f in files])

    def select_and_load(self, path: str) -> None:
        self.refresh_models()
        i = self.model_combo.findData(path)
        if i >= 0:
            self.model_combo.setCurrentIndex(i)
            self.load_selected()

    def load_options(self, path: str = "") -> LoadOptions:
        options = LoadOptions.from_settings(self.ctx.settings, self.session.settings.chat_format)
        options.mmproj = self.projector_for(path) if path else ""
        return options

    def projector_for(self, path: str) -> str:
        """The vision projector to load with the model at ``path``: the one chosen in this conversation's settings
        when it fits that model, else the library's pairing, else "" (header reads are cached per file)."""
        if not path or is_model_key(path) or not Path(path).is_file():
            return ""
        from app.core.library.companions import chosen_projector

        chosen = chosen_projector(self.session.settings.projector, path)
        if chosen:
            return chosen
        try:
            paired = self.ctx.library.catalog.projector_for(path)
        except Exception:  # an unreadable library folder: load the text model alone
            log.exception("looking for a projector failed")
            paired = None
        return str(paired) if paired else ""

    def load_selected(self) -> None:
        path = self.model_combo.currentData()
        if not path:
            self.show_error(translate("ChatPage", "Pick a model first (or get one on the Models page)."))
            return
        self.hide_error()
        self.session.stop()
        self.engine.load(path, self.load_options(path))

    # ---- conversations -----------------------------------------------------------------------------------------
    def new_chat(self) -> None:
        self._cancel_edit()
        self.session.new_chat()
        self.input.setFocus()

    def open_conversation(self, cid: int, leaf_id: int | None = None) -> None:
        self._cancel_edit()
        self.hide_error()
        self.session.open(cid, leaf_id)
        i = self.model_combo.findData(self.session.settings.model)
        if i >= 0 and self.engine.info is None:
            self.model_combo.setCurrentIndex(i)
        self.view.scroll_to_bottom()

    def show_search_hit(self, cid: int, message_id: int | None) -> None:
        if message_id is None:  # the title matched, in a conversation with no messages yet
            self.open_conversation(cid)
            return
        self.open_conversation(cid, self.store.leaf_of(message_id))
        row = self.model.row_of(message_id)
        if row >= 0:
            self.view.scroll_to_row(row, highlight=True)

    # ---- sending -----------------------------------------------------------------------------------------------
    def send(self) -> None:
        text = self.input.toPlainText().strip()
        if self._image_jobs:  # an image is still being prepared: the message goes when it is ready
            self._send_after_images = True
            self._preparing_status = translate("ChatPage", "Preparing the image; the message is sent when it is "
                                                           "ready…")
            self.status.setText(self._preparing_status)
            return
        images = self.attachments.data_uris()
        if not text and not images:
            return
        if self.engine.info is None:
            if not self.model_combo.currentData():
                self.show_error(translate("ChatPage", "Pick a model first (or get one on the Models page)."))
                return
            self._send_after_load = True  # the message stays in the box until it is really sent
            if not self.engine.loading_path:
                self.load_selected()
            self._update_buttons()
            return
        if self.session.generating:
            return
        self.hide_error()
        ok = (self.session.edit(self._editing, text, images) if self._editing is not None
              else self.session.send(text, images))
        if ok:
            self.input.clear()
            self.attachments.clear()
            self._cancel_edit()
            self.view.scroll_to_bottom()
        self._update_buttons()
        self._touch()

    def stop(self) -> None:
        self.session.stop()
        self._update_buttons()

    def _escape(self) -> None:
        if self.session.generating:
            self.stop()
        elif self._editing is not None:
            self._cancel_edit()
            self.input.clear()

    def _ask_overflow(self, message: str) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(translate("ChatPage", "The conversation no longer fits"))
        box.setText(message)
        truncate = box.addButton(translate("ContextPolicy", POLICIES["truncate_middle"]), QMessageBox.AcceptRole)
        rolling = box.addButton(translate("ContextPolicy", POLICIES["rolling_window"]), QMessageBox.AcceptRole)
        box.addButton(translate("ChatPage", "Cancel"), QMessageBox.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        policy = "truncate_middle" if clicked is truncate else "rolling_window" if clicked is rolling else None
        self.session.continue_with_policy(policy)

    # ---- message actions --------------------------------------------------------------------------------------
    # ---- narrow windows ---------------------------------------------------------------------------------------
    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As narrow as the messages beside one side panel (below NARROW_BELOW the two take turns)."""
        hint = super().minimumSizeHint()
        side = max(self.sidebar.minimumSizeHint().width(), self.panel.minimumSizeHint().width(),
                   self.panel.minimumWidth())
        center = self.view.parentWidget().minimumSizeHint().width()
        m = self.layout().contentsMargins()
        return QSize(min(hint.width(), center + side + self._split.handleWidth() + m.left() + m.right()),
                     hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_side_panels()

    def _fit_side_panels(self) -> None:
        """Below NARROW_BELOW px (a 1100 px or smaller window) the conversations and the settings panel take
        turns beside the messages: opening Settings hides the list, closing it brings the list back."""
        panel = self.settings_button.isChecked()
        narrow = self.width() < NARROW_BELOW
        self.sidebar.setVisible(not (narrow and panel))
        self.panel.setVisible(panel)

    def show_waiting(self, holder: str) -> None:
        """The chat waits for the engine while an API request holds it (holder "api <client>"); "" when done."""
        if holder.startswith("api"):
            self._waiting_status = translate("ChatPage", "Waiting for the model: it is answering an API request "
                                                         "from {client}…").format(client=holder[4:])
            self.status.setText(self._waiting_status)
        elif holder.startswith("retry "):  # a busy remote server: Hearth tries again and says so
            self.status.setText(holder[6:])
            self._retry_shown = True
        elif holder == "" and ((self._waiting_status and self.status.text() == self._waiting_status)
                               or self._retry_shown):
            self.status.setText("")
            self._retry_shown = False

    def focus_search(self) -> None:
        if not self.sidebar.isVisible():
            self.settings_button.setChecked(False)
        self.sidebar.search.setFocus(Qt.ShortcutFocusReason)
        self.sidebar.search.selectAll()

    def _on_action(self, message_id: int, action: str, arg: str) -> None:
        row = self.model.row_of(message_id)
        if row < 0:
            return
        m = self.model.message(row)
        if action == "copy-message":
            QGuiApplication.clipboard().setText(m.text)
            self.status.setText(translate("ChatPage", "Message copied."))
        elif action == "copied-code":
            self.status.setText(translate("ChatPage", "Code copied."))
        elif action == "regenerate":
            self.session.regenerate(message_id)
        elif action == "edit":
            self._editing = message_id
            self.input.setPlainText(m.text)
            self.input.setFocus()
            if m.images:
                count = len(m.images)
                text = translate("ChatPage", "Editing a message: Send makes a new branch beside the original "
                                             "(nothing is deleted). Its %n image(s) go with it. Esc cancels.",
                                 None, count)
            else:
                text = translate("ChatPage", "Editing a message: Send makes a new branch beside the original "
                                             "(nothing is deleted). Esc cancels.")
            self.edit_banner.setText(text)
            self.edit_banner.show()
        elif action == "delete":
            after = self.session.subtree_size(message_id) - 1
            question = (translate("ChatPage", "Delete this message and the %n message(s) after it?", None, after)
                        if after > 0 else translate("ChatPage", "Delete this message?"))
            answer = QMessageBox.question(self, translate("ChatPage", "Delete message"), question)
            if answer == QMessageBox.Yes:
                self.session.delete_message(message_id)
        elif action == "prev-sibling":
            self.session.switch_sibling(message_id, -1)
        elif action == "next-sibling":
            self.session.switch_sibling(message_id, +1)
        elif action in ("source", "sources"):
            from app.ui.chat.passage_dialog import PassageDialog

            n = int(arg) if arg.isdigit() else None
            self.passages = PassageDialog((m.stats or {}).get("sources") or [], n, self)
            self.passages.open()
        elif action == "open-link":
            answer = QMessageBox.question(
                self, translate("ChatPage", "Open link"),
                translate("ChatPage", "Open this address in your web browser?\n\n{url}\n\nYour browser connects to "
                                      "the site itself: Hearth's Offline mode and network log do not cover it.").format(
                    url=arg))
            if answer == QMessageBox.Yes:
                QDesktopServices.openUrl(QUrl(arg))
        self._update_buttons()

    def _cancel_edit(self) -> None:
        self._editing = None
        self.edit_banner.hide()

    # ---- chrome ------------------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        loaded = self.engine.info is not None
        loading = bool(self.engine.loading_path)
        generating = self.session.generating
        self.load_button.setEnabled(self.model_combo.count() > 0 and not loading)
        self.unload_button.setEnabled(loaded and not loading)
        # Send with a model picked but not loaded loads it first, then sends
        self.send_button.setEnabled((loaded or self.model_combo.count() > 0) and not generating
                                    and not self._send_after_load)
        self.stop_button.setEnabled(generating)

    # ---- a damaged chats database ----------------------------------------------------------------------------
    def _show_recovery(self, trouble: Trouble) -> None:
        bar = self.recovery_bar = RecoveryBar(self.store, trouble, self)
        bar.replaced.connect(self._on_store_replaced)
        self.layout().insertWidget(0, bar)
        self._set_saving(False)

    def _on_store_replaced(self, _aside: str) -> None:
        """The recovery bar started a fresh database behind ``self.store``: show what it holds."""
        self.sidebar.refresh(None)
        self.session.new_chat()
        self.panel.set_settings(self.session.settings)
        self._set_saving(True)

    def _set_saving(self, enabled: bool) -> None:
        """The composer is off while the chats database cannot save new messages."""
        self.input.setEnabled(enabled)
        self.attach_button.setEnabled(enabled)
        if enabled:
            self.input.setPlaceholderText(self._composer_placeholder)
        else:
            self._composer_placeholder = self.input.placeholderText()
            self.input.setPlaceholderText(translate("ChatPage", "The chats database needs attention (see above) "
                                                                "before new messages can be saved."))

    def show_error(self, message: str) -> None:
        self._set_banner("error", message)

    def show_notice(self, message: str) -> None:
        self._set_banner("info", message)

    def _set_banner(self, kind: str, message: str) -> None:
        self.banner.setProperty("banner", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setText(message)
        self.banner.show()

    def hide_error(self) -> None:
        self.banner.hide()

    def on_theme_changed(self) -> None:
        self.view.refresh()

    def shutdown(self) -> None:
        if self._image_runner is not None:
            self._image_jobs.clear()
            self._image_runner.shutdown()
        self.session.shutdown()
        self.ctx.settings.extra["chat_defaults"] = {**self.session.settings.to_dict(), "model": ""}
        self.store.close()
