"""What the Chat page does when its engine loads, fails, crashes, offers safe settings or goes idle (a mixin of
:class:`app.ui.chat.chat_page.ChatPage`: the slots of its :class:`EngineClient`'s signals)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QTimer

from app.core.engine import LoadOptions
from app.core.remote import is_model_key
from app.core.units import number
from app.ui.chat.chat_widgets import estimated_words
from app.ui.chat.image_attaching import NO_VISION
from app.ui.common.i18n import translate

log = logging.getLogger("hearth.chat")


class EngineEvents:
    """The page's answers to the engine client's signals."""

    def _on_loading(self, path: str) -> None:
        if is_model_key(path):
            self.status.setText(translate("ChatPage", "Connecting to {model}…").format(model=self.model_name(path)))
        else:
            self.status.setText(translate("ChatPage", "Loading {file}…").format(file=os.path.basename(path)))
        self._update_buttons()

    def _on_loaded(self, info) -> None:
        if self._send_after_load:
            self._send_after_load = False
            QTimer.singleShot(0, self, self.send)
        if self._restarting:
            self.show_notice(translate("ChatPage", "{crash} The engine was restarted and {model} is loaded again: "
                                                   "send your message again, or press Regenerate on the interrupted "
                                                   "reply.").format(crash=self._restarting, model=info.name))
            self._restarting = ""
        elif self.banner.isVisible() and self.banner.property("banner") == "error":
            self.hide_error()  # what it said (a failed load, no model) is over now
        elif self.banner.isVisible() and self.banner.text() == translate("ChatPage", NO_VISION):
            self.hide_error()
        if len(self.attachments) or self._image_jobs:
            self._say_if_blind()
        if self.ctx.settings.last_model != info.path:
            self.ctx.settings.last_model = info.path
            self._save_settings.start()
        if info.remote:
            if info.estimated:
                text = translate("ChatPage", "Using {model} · context {n_ctx} tokens ({what} estimated)")
            else:
                text = translate("ChatPage", "Using {model} · context {n_ctx} tokens")
            self.status.setText(text.format(model=self.model_name(info.path), n_ctx=number(info.n_ctx),
                                            what=estimated_words(info.estimated)))
        else:
            self.status.setText(translate("ChatPage", "Loaded {model} in {seconds} s · context {n_ctx} tokens").format(
                model=self.model_name(info.path), seconds=number(info.load_seconds, 1), n_ctx=number(info.n_ctx)))
        self.meter.set_estimated(info.estimated)
        self.panel.show_template(info.template_source)
        self.panel.set_model("" if info.remote else info.path)  # its adapters and projector
        self._update_buttons()
        self._touch()

    def _on_empty_reply(self) -> None:
        info = self.engine.info
        if info is not None:
            self.show_notice(translate("ChatPage", "The model's reply was empty. If that keeps happening, its chat "
                                                   "format may be wrong: pick another one under Chat settings → Chat "
                                                   "template (now: {template}).").format(template=info.template_source))
        else:
            self.show_notice(translate("ChatPage", "The model's reply was empty. If that keeps happening, its chat "
                                                   "format may be wrong: pick another one under Chat settings → Chat "
                                                   "template."))

    # ---- engine crashes ---------------------------------------------------------------------------------------
    def _on_engine_crashed(self, message: str, phase: str) -> None:
        if phase in ("load", "start"):  # not restarted: nothing was loaded
            self._restarting = ""
            self.show_error(translate("ChatPage", "{message} Press Load to try again.").format(message=message))
        else:
            if phase == "stream":
                message = translate("ChatPage", "{message} The partial reply was kept and marked interrupted.").format(
                    message=message)
            self._restarting = message
            self.show_error(translate("ChatPage", "{message} Restarting the engine…").format(message=message))
        self._update_buttons()

    def _on_safe_retry_offered(self, path: str, options: LoadOptions, description: str) -> None:
        self._safe_retry = (path, options)
        self.retry_safe_button.setToolTip(translate(
            "ChatPage", "Load {file} again with safe settings: {description}. If a reply then works, Hearth uses them "
            "for this model from now on.").format(file=Path(path).name, description=description))
        self.retry_safe_button.show()

    def _on_engine_gave_up(self, message: str) -> None:
        last_crash, self._restarting = self._restarting, ""
        self.show_error(f"{last_crash} {message}".strip())
        self._update_buttons()

    def retry_safely(self) -> None:
        if self._safe_retry is None:
            return
        path, options = self._safe_retry
        self._safe_retry = None
        self.retry_safe_button.hide()
        self.hide_error()
        self.engine.load(path, options)

    def _on_load_failed(self, path: str, message: str) -> None:
        self._send_after_load = False  # the message stays in the box
        self.show_error(message)
        if self.engine.info is None:  # else the model that was loaded is loaded again (said in the message)
            self.status.setText("")
        self._update_buttons()

    def _on_unloaded(self) -> None:
        self.status.setText(self._unload_reason or translate("ChatPage", "Model unloaded."))
        self._unload_reason = ""
        self.panel.show_template("")
        self.meter.set_usage(0, 0)
        self._update_buttons()

    def _chat_format_changed(self, name: str) -> None:
        if self.engine.info is not None:
            self.engine.set_chat_format(name)

    def _load_options_changed(self) -> None:
        self._save_settings.start()
        info = self.engine.info
        if info is not None and self.ctx.settings.n_ctx != info.n_ctx:
            self.status.setText(translate("ChatPage", "Press Load to apply the new context length."))
        self._touch()

    def _touch(self) -> None:
        """Activity: restart the auto-unload countdown."""
        minutes = self.ctx.settings.auto_unload_minutes
        if minutes > 0 and self.engine.info is not None:
            self._idle.start(minutes * 60_000)
        else:
            self._idle.stop()

    def _auto_unload(self) -> None:
        if self.engine.info is not None and not self.session.generating:
            self._unload_reason = translate("ChatPage", "Model unloaded after {minutes} idle minutes to free memory; "
                                                        "press Load to continue.").format(
                minutes=self.ctx.settings.auto_unload_minutes)
            self.engine.unload()
