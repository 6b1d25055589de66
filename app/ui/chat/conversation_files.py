"""The Chat page's conversation commands that ask the user first: rename, delete, export to a file and import
from one (a mixin of :class:`app.ui.chat.chat_page.ChatPage`: it uses the page's store, session and status line)."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.ui.chat.conversation_list import shown_title
from app.ui.common.i18n import translate

log = logging.getLogger("hearth.chat")


class ConversationFiles:
    """Rename, delete, export and import conversations, with their dialogs."""

    def rename_conversation(self, cid: int) -> None:
        shown = shown_title(self.store.get_conversation(cid).title)
        title, ok = QInputDialog.getText(self, translate("ChatPage", "Rename conversation"),
                                         translate("ChatPage", "Title:"), text=shown)
        if ok and title.strip() and title != shown:
            self.session.rename(cid, title)

    def delete_conversation(self, cid: int) -> None:
        title = shown_title(self.store.get_conversation(cid).title)
        answer = QMessageBox.question(self, translate("ChatPage", "Delete conversation"),
                                      translate("ChatPage", "Delete “{title}” and all its messages? This cannot be "
                                                            "undone.").format(title=title))
        if answer == QMessageBox.Yes:
            self.session.delete_conversation(cid)

    def export_conversation(self, cid: int, fmt: str, path: str | None = None) -> str | None:
        title = self.store.get_conversation(cid).title
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip() or "conversation"
        if path is None:
            filt = "Markdown (*.md)" if fmt == "md" else "JSON (*.json)"
            path, _ = QFileDialog.getSaveFileName(self, translate("ChatPage", "Export conversation"),
                                                  str(Path.home() / f"{safe}.{fmt}"), filt)
        if not path:
            return None
        try:
            if fmt == "md":
                text = self.store.export_markdown(cid)
            else:
                text = json.dumps(self.store.export_json(cid), ensure_ascii=False, indent=2)
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            self.show_error(translate("ChatPage", "Could not export: {error}").format(error=exc))
            return None
        self.status.setText(translate("ChatPage", "Exported to {path}").format(path=path))
        return path

    def import_conversation(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, translate("ChatPage", "Import conversation"), str(Path.home()),
                                                  "JSON (*.json)")
        if not path:
            return
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            conv = self.store.import_json(data)
        except (OSError, ValueError) as exc:
            self.show_error(translate("ChatPage", "Could not import {file}: {error}").format(
                file=os.path.basename(path), error=exc))
            return
        self.sidebar.refresh(conv.id)
        self.open_conversation(conv.id)
        self.status.setText(translate("ChatPage", "Imported “{title}”.").format(title=conv.title))
