"""The Chat page: model picker and load controls, the message view, the composer."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from app.core.engine import LoadOptions, Sampling
from app.core.library import human_size, scan_models_dir
from app.ui.application import AppContext
from app.ui.chat.chat_view import ChatView
from app.ui.chat.engine_worker import EngineClient
from app.ui.chat.message_model import MessageListModel, ViewMessage

log = logging.getLogger("hearth.chat")


class Composer(QPlainTextEdit):
    """The message input: Ctrl+Enter (or Enter) sends, Shift+Enter makes a new line."""

    send_requested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not (event.modifiers() & Qt.ShiftModifier):
            self.send_requested.emit()
            return
        super().keyPressEvent(event)


class ChatPage(QWidget):
    def __init__(self, ctx: AppContext, engine: EngineClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engine = engine
        self._next_id = 1
        self._stream_row = -1
        self._gen = 0

        # --- top bar: model picker ---
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Model")
        self.model_combo.setMinimumWidth(200)
        self.model_combo.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.load_button = QPushButton("Load")
        self.load_button.setAccessibleName("Load model")
        self.load_button.clicked.connect(self.load_selected)
        self.unload_button = QPushButton("Unload")
        self.unload_button.setAccessibleName("Unload model")
        self.unload_button.setEnabled(False)
        self.unload_button.clicked.connect(self.engine.unload)
        self.new_chat_button = QPushButton("New chat")
        self.new_chat_button.setAccessibleName("New chat")
        self.new_chat_button.setToolTip("Start a new conversation (Ctrl+N)")
        self.new_chat_button.clicked.connect(self.new_chat)
        top = QHBoxLayout()
        top.addWidget(QLabel("Model:"))
        top.addWidget(self.model_combo, 1)
        top.addWidget(self.load_button)
        top.addWidget(self.unload_button)
        top.addSpacing(12)
        top.addWidget(self.new_chat_button)

        # --- banners ---
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setProperty("banner", "error")
        self.banner.setAccessibleName("Error")
        self.banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.banner.hide()
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setProperty("banner", "info")
        self.empty_hint.setAccessibleName("Hint")
        self.empty_hint.hide()

        # --- messages ---
        self.model = MessageListModel(self)
        self.view = ChatView(self.model)
        self.view.action.connect(self._on_action)

        # --- composer ---
        self.input = Composer()
        self.input.setAccessibleName("Message")
        self.input.setPlaceholderText("Write a message… (Enter or Ctrl+Enter to send, Shift+Enter for a new line)")
        self.input.setFixedHeight(84)
        self.input.send_requested.connect(self.send)
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send")
        self.send_button.setProperty("primary", True)
        self.send_button.setToolTip("Send (Ctrl+Enter)")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop")
        self.stop_button.setToolTip("Stop generating (Esc)")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        composer = QHBoxLayout()
        composer.addWidget(self.input, 1)
        composer.addLayout(buttons)

        self.status = QLabel("")
        self.status.setProperty("muted", True)
        self.status.setAccessibleName("Chat status")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.addLayout(top)
        lay.addWidget(self.banner)
        lay.addWidget(self.empty_hint)
        lay.addWidget(self.view, 1)
        lay.addLayout(composer)
        lay.addWidget(self.status)

        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.send)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.send)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.stop)

        engine.loaded.connect(self._on_loaded)
        engine.load_failed.connect(self._on_load_failed)
        engine.unloaded.connect(self._on_unloaded)
        engine.loading.connect(self._on_loading)
        engine.delta.connect(self._on_delta)
        engine.finished.connect(self._on_finished)
        engine.failed.connect(self._on_failed)
        self.refresh_models()
        self._update_buttons()

    # ---- models -------------------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        current = self.model_combo.currentData()
        self.model_combo.clear()
        models = scan_models_dir(self.ctx.models_dir)
        for m in models:
            self.model_combo.addItem(f"{m.display_name}  ({human_size(m.size)})", str(m.path))
        wanted = current or self.ctx.settings.last_model
        i = self.model_combo.findData(wanted) if wanted else -1
        if i >= 0:
            self.model_combo.setCurrentIndex(i)
        if not models:
            self.empty_hint.setText(
                "No models yet. Open the Models page (Ctrl+2) to download one — the starter pick "
                "SmolLM2 135M is a 98 MB download — or import a GGUF file you already have. "
                f"Models live in {self.ctx.models_dir}.")
            self.empty_hint.show()
        else:
            self.empty_hint.hide()
        self._update_buttons()

    def select_and_load(self, path: str) -> None:
        self.refresh_models()
        i = self.model_combo.findData(path)
        if i >= 0:
            self.model_combo.setCurrentIndex(i)
            self.load_selected()

    def load_options(self) -> LoadOptions:
        s = self.ctx.settings
        return LoadOptions(n_ctx=s.n_ctx, n_threads=s.n_threads, n_gpu_layers=s.n_gpu_layers,
                           flash_attn=s.flash_attn, kv_type=s.kv_type)

    def load_selected(self) -> None:
        path = self.model_combo.currentData()
        if not path:
            self.show_error("Pick a model first (or get one on the Models page).")
            return
        self.hide_error()
        self.engine.load(path, self.load_options())

    def _on_loading(self, path: str) -> None:
        self.status.setText(f"Loading {os.path.basename(path)}…")
        self._update_buttons()

    def _on_loaded(self, info) -> None:
        self.ctx.settings.last_model = info.path
        self.status.setText(f"Loaded {info.name} in {info.load_seconds:.1f} s · context {info.n_ctx:,} · "
                            f"template: {info.template_source}")
        self._update_buttons()

    def _on_load_failed(self, path: str, message: str) -> None:
        self.show_error(message)
        self.status.setText("")
        self._update_buttons()

    def _on_unloaded(self) -> None:
        self.status.setText("Model unloaded.")
        self._update_buttons()

    # ---- conversation -----------------------------------------------------------------------------------------
    def new_chat(self) -> None:
        self.stop()
        self.model.set_messages([])
        self.input.setFocus()

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def history(self) -> list[dict[str, str]]:
        from app.ui.common.markdown import strip_thoughts

        out = []
        for m in self.model.messages():
            if m.role in ("user", "assistant", "system") and m.state != "error" and m.text:
                out.append({"role": m.role, "content": strip_thoughts(m.text) if m.role == "assistant" else m.text})
        return out

    def send(self) -> None:
        text = self.input.toPlainText().strip()
        if not text:
            return
        if self.engine.info is None:
            self.show_error("Load a model first: pick one above and press Load.")
            return
        if self.engine.active_gen:
            return
        self.hide_error()
        self.input.clear()
        self.model.append(ViewMessage(self._new_id(), "user", text))
        messages = self.history()
        self._stream_row = self.model.append(ViewMessage(self._new_id(), "assistant", "", state="streaming"))
        self.view.scroll_to_bottom()
        self._gen = self.engine.generate(messages, Sampling())
        self._update_buttons()

    def stop(self) -> None:
        gen = self.engine.stop()
        if gen and gen == self._gen and self._stream_row >= 0:
            self.model.update(self._stream_row, state="stopped")
            self._stream_row = -1
        self._update_buttons()

    def _on_delta(self, gen: int, text: str) -> None:
        if gen == self._gen and self._stream_row >= 0:
            self.model.append_text(self._stream_row, text)

    def _on_finished(self, gen: int, stats) -> None:
        if gen != self._gen:
            self._update_buttons()
            return
        row = self._stream_row if self._stream_row >= 0 else self.model.rowCount() - 1
        if 0 <= row < self.model.rowCount():
            m = self.model.message(row)
            state = "stopped" if stats.stop_reason == "stopped" or m.state == "stopped" else "done"
            self.model.update(row, state=state, stats=stats.to_dict())
        self._stream_row = -1
        self._update_buttons()

    def _on_failed(self, gen: int, message: str, stats) -> None:
        if gen == self._gen and self._stream_row >= 0:
            self.model.update(self._stream_row, state="error", error=message, stats=stats.to_dict())
            self._stream_row = -1
        self.show_error(message)
        self._update_buttons()

    def _on_action(self, message_id: int, action: str, arg: str) -> None:
        from PySide6.QtGui import QGuiApplication

        row = self.model.row_of(message_id)
        if row < 0:
            return
        if action == "copy-message":
            QGuiApplication.clipboard().setText(self.model.message(row).text)
            self.status.setText("Message copied.")
        elif action == "copied-code":
            self.status.setText("Code copied.")

    # ---- chrome ------------------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        loaded = self.engine.info is not None
        loading = bool(self.engine.loading_path)
        generating = bool(self.engine.active_gen)
        self.load_button.setEnabled(self.model_combo.count() > 0 and not loading)
        self.unload_button.setEnabled(loaded and not loading)
        self.send_button.setEnabled(loaded and not generating and not loading)
        self.stop_button.setEnabled(generating)

    def show_error(self, message: str) -> None:
        self.banner.setProperty("banner", "error")
        self.banner.setText(message)
        self.banner.show()

    def show_notice(self, message: str) -> None:
        self.banner.setProperty("banner", "info")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setText(message)
        self.banner.show()

    def hide_error(self) -> None:
        self.banner.hide()

    def on_theme_changed(self) -> None:
        self.view.refresh()

    def shutdown(self) -> None:
        self.stop()
