"""The conversation settings panel: system prompt, presets, sampling, context policy, chat template, the LoRA
adapters and vision projector of the conversation's model (adapters_section.py), and the model load options
(context length, GPU layers, threads, flash attention, KV cache type, auto-unload)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QInputDialog, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from app.core.chats.settings import BUILTIN_PRESETS, ChatSettings
from app.ui.chat.adapters_section import AdaptersSection
from app.core.engine.context_budget import POLICIES
from app.core.engine import KNOWN_FORMATS, MODEL_TEMPLATE
from app.core.engine.generation import KV_CHOICES
from app.settings import Settings
from app.ui.common.i18n import translate


def _preset_name(name: str) -> str:
    """A preset's name as shown: the built-in ones in the window's language, the user's own as saved."""
    return translate("SamplingPreset", name) if name in BUILTIN_PRESETS else name


def _dspin(lo: float, hi: float, step: float, decimals: int = 2) -> QDoubleSpinBox:
    w = QDoubleSpinBox()
    w.setRange(lo, hi)
    w.setSingleStep(step)
    w.setDecimals(decimals)
    return w


def _spin(lo: int, hi: int) -> QSpinBox:
    w = QSpinBox()
    w.setRange(lo, hi)
    return w


class SettingsPanel(QScrollArea):
    settings_changed = Signal(object)  # ChatSettings
    load_options_changed = Signal()
    chat_format_changed = Signal(str)

    def __init__(self, app_settings: Settings, store, parent: QWidget | None = None, library=None) -> None:
        """``library``: the window's CatalogState, for the adapters and projector of the conversation's model."""
        super().__init__(parent)
        self.app_settings = app_settings
        self.store = store
        self._settings = ChatSettings()
        self._edited_item = False  # the preset combo's last item is "… (edited)" or "Custom"
        self._updating = False
        self.setWidgetResizable(True)
        self.setAccessibleName(translate("SettingsPanel", "Chat settings panel"))  # a focus stop (keyboard scrolling)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setMinimumWidth(270)
        self.setMaximumWidth(360)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 0, 6, 6)

        # --- conversation ---
        conv = QGroupBox(translate("SettingsPanel", "This conversation"))
        form = QFormLayout(conv)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)  # narrow: labels go above their fields, nothing is cut
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setTabChangesFocus(True)  # Tab moves on to the next setting (no keyboard trap)
        self.system_prompt.setAccessibleName(translate("SettingsPanel", "System prompt"))
        self.system_prompt.setPlaceholderText(
            translate("SettingsPanel", "Optional instructions for the model (e.g. \"Answer briefly.\")"))
        self.system_prompt.setFixedHeight(72)
        form.addRow(QLabel(translate("SettingsPanel", "System prompt:")))
        form.addRow(self.system_prompt)
        self.preset = QComboBox()
        self.preset.setAccessibleName(translate("SettingsPanel", "Preset"))
        self.save_preset = QPushButton(translate("SettingsPanel", "Save as…"))
        self.save_preset.setAccessibleName(translate("SettingsPanel", "Save preset"))
        self.delete_preset = QPushButton(translate("SettingsPanel", "Delete"))
        self.delete_preset.setAccessibleName(translate("SettingsPanel", "Delete preset"))
        form.addRow(translate("SettingsPanel", "Preset:"), self.preset)
        prow = QHBoxLayout()
        prow.addStretch(1)
        prow.addWidget(self.save_preset)
        prow.addWidget(self.delete_preset)
        form.addRow(prow)
        self.temperature = _dspin(0, 2, 0.05)
        self.top_p = _dspin(0, 1, 0.01)
        self.top_k = _spin(0, 1000)
        self.min_p = _dspin(0, 1, 0.01)
        self.repeat_penalty = _dspin(0.5, 2, 0.01)
        self.seed = _spin(-1, 2**31 - 1)
        self.seed.setSpecialValueText(translate("SettingsPanel", "random"))
        self.max_tokens = _spin(1, 131072)
        for label, w, name in (
                (translate("SettingsPanel", "Temperature:"), self.temperature,
                 translate("SettingsPanel", "Temperature")),
                (translate("SettingsPanel", "Top P:"), self.top_p, translate("SettingsPanel", "Top P")),
                (translate("SettingsPanel", "Top K:"), self.top_k, translate("SettingsPanel", "Top K")),
                (translate("SettingsPanel", "Min P:"), self.min_p, translate("SettingsPanel", "Min P")),
                (translate("SettingsPanel", "Repeat penalty:"), self.repeat_penalty,
                 translate("SettingsPanel", "Repeat penalty")),
                (translate("SettingsPanel", "Seed:"), self.seed, translate("SettingsPanel", "Seed")),
                (translate("SettingsPanel", "Max tokens:"), self.max_tokens, translate("SettingsPanel", "Max tokens"))):
            w.setAccessibleName(name)
            form.addRow(label, w)
        self.policy = QComboBox()
        self.policy.setAccessibleName(translate("SettingsPanel", "When the context is full"))
        for key, label in POLICIES.items():
            self.policy.addItem(translate("ContextPolicy", label), key)
        form.addRow(translate("SettingsPanel", "Context full:"), self.policy)
        self.template = QComboBox()
        self.template.setAccessibleName(translate("SettingsPanel", "Chat template"))
        self.template.addItem(translate("SettingsPanel", "From the model"), MODEL_TEMPLATE)
        for name in KNOWN_FORMATS:
            self.template.addItem(name, name)
        form.addRow(translate("SettingsPanel", "Chat template:"), self.template)
        self.template_info = QLabel("")
        self.template_info.setWordWrap(True)
        self.template_info.setProperty("muted", True)
        form.addRow(self.template_info)
        self.collection = QComboBox()
        self.collection.setAccessibleName(translate("SettingsPanel", "Answer from documents"))
        self.collection.setToolTip(translate("SettingsPanel", "A document collection (Documents page) this "
                                             "conversation answers from: each question is searched in it and the "
                                             "reply cites the passages as [1], [2]."))
        self.collection.addItem(translate("SettingsPanel", "None"), "")
        form.addRow(translate("SettingsPanel", "Documents:"), self.collection)
        lay.addWidget(conv)

        # --- LoRA adapters and the vision projector of the conversation's model ---
        self.adapters = AdaptersSection(library)
        lay.addWidget(self.adapters)

        # --- load options ---
        load = QGroupBox(translate("SettingsPanel", "Model loading"))
        lform = QFormLayout(load)
        lform.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.n_ctx = _spin(256, 262144)
        self.n_ctx.setSingleStep(1024)
        self.n_gpu_layers = _spin(-1, 999)
        self.n_gpu_layers.setSpecialValueText(translate("SettingsPanel", "all"))
        self.n_threads = _spin(0, 256)
        self.n_threads.setSpecialValueText(translate("SettingsPanel", "auto (physical cores)"))
        self.flash_attn = QCheckBox(translate("SettingsPanel", "Flash attention"))
        self.kv_type = QComboBox()
        for name in KV_CHOICES:  # f32 is not offered (the Hardware page does not offer it either)
            self.kv_type.addItem(name, name)
        self.auto_unload = _spin(0, 1440)
        self.auto_unload.setSpecialValueText(translate("SettingsPanel", "never"))
        self.auto_unload.setSuffix(translate("SettingsPanel", " min"))
        for label, w, name in (
                (translate("SettingsPanel", "Context length:"), self.n_ctx,
                 translate("SettingsPanel", "Context length")),
                (translate("SettingsPanel", "GPU layers:"), self.n_gpu_layers,
                 translate("SettingsPanel", "GPU layers")),
                (translate("SettingsPanel", "Threads:"), self.n_threads, translate("SettingsPanel", "Threads")),
                ("", self.flash_attn, translate("SettingsPanel", "Flash attention")),
                (translate("SettingsPanel", "KV cache type:"), self.kv_type,
                 translate("SettingsPanel", "KV cache type")),
                (translate("SettingsPanel", "Unload when idle:"), self.auto_unload,
                 translate("SettingsPanel", "Unload when idle"))):
            w.setAccessibleName(name)
            lform.addRow(label, w)
        self.load_hint = QLabel(translate("SettingsPanel", "Changes apply the next time you press Load."))
        self.load_hint.setProperty("muted", True)
        self.load_hint.setWordWrap(True)
        lform.addRow(self.load_hint)
        lay.addWidget(load)
        lay.addStretch(1)
        for combo in (self.preset, self.policy, self.template, self.kv_type, self.collection):  # long items must not
            # widen the panel
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.setWidget(body)

        self._fill_presets()
        self.set_load_options(app_settings)
        for w in (self.temperature, self.top_p, self.min_p, self.repeat_penalty):
            w.valueChanged.connect(self._sampling_edited)
        for w in (self.top_k, self.seed, self.max_tokens):
            w.valueChanged.connect(self._sampling_edited)
        self.system_prompt.textChanged.connect(self._emit)
        self.policy.currentIndexChanged.connect(self._emit)
        self.template.currentIndexChanged.connect(self._template_chosen)
        self.collection.currentIndexChanged.connect(self._emit)
        self.adapters.changed.connect(self._emit)
        self.preset.activated.connect(self._preset_chosen)
        self.save_preset.clicked.connect(self._save_preset)
        self.delete_preset.clicked.connect(self._delete_preset)
        for w in (self.n_ctx, self.n_gpu_layers, self.n_threads, self.auto_unload):
            w.valueChanged.connect(self._load_edited)
        self.flash_attn.toggled.connect(self._load_edited)
        self.kv_type.currentIndexChanged.connect(self._load_edited)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """The language changed (switch_language): the texts it cannot map back are made again."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "auto_unload"):
            self.seed.setSpecialValueText(translate("SettingsPanel", "random"))
            self.n_gpu_layers.setSpecialValueText(translate("SettingsPanel", "all"))
            self.n_threads.setSpecialValueText(translate("SettingsPanel", "auto (physical cores)"))
            self.auto_unload.setSpecialValueText(translate("SettingsPanel", "never"))
            for i in range(self.policy.count()):
                self.policy.setItemText(i, translate("ContextPolicy", POLICIES.get(self.policy.itemData(i), "")))
            self._label_presets()

    # ---- presets ----------------------------------------------------------------------------------------------
    def presets(self) -> dict[str, dict]:
        out = dict(BUILTIN_PRESETS)
        out.update(self.store.list_presets())
        return out

    def _fill_presets(self) -> None:
        current = self._settings.preset
        self.preset.blockSignals(True)
        self.preset.clear()
        for name in self.presets():
            self.preset.addItem(name, name)
        self._edited_item = self.preset.findData(current) < 0  # the last item: the conversation's own values
        if self._edited_item:
            self.preset.addItem("", current)
        self._label_presets()
        self.preset.setCurrentIndex(max(0, self.preset.findData(current)))
        self.preset.blockSignals(False)
        self.delete_preset.setEnabled(current in self.store.list_presets())

    def _label_presets(self) -> None:
        """The preset combo's texts in the window's language (the built-in names; the user's own as saved)."""
        last = self.preset.count() - 1
        for i in range(self.preset.count()):
            name = self.preset.itemData(i)
            if i == last and self._edited_item:
                text = translate("SettingsPanel", "{name} (edited)").format(name=_preset_name(name)) if name \
                    else translate("SettingsPanel", "Custom")
            else:
                text = _preset_name(name)
            self.preset.setItemText(i, text)

    def _preset_chosen(self, index: int) -> None:
        name = self.preset.itemData(index)
        values = self.presets().get(name)
        if values is None:
            return
        self._settings.apply_preset(name, values)
        self.set_settings(self._settings)
        self.settings_changed.emit(self._settings)

    def _save_preset(self) -> None:
        name, ok = QInputDialog.getText(self, translate("SettingsPanel", "Save preset"),
                                        translate("SettingsPanel", "Preset name:"), text=self._settings.preset)
        name = name.strip()
        if not ok or not name or name in BUILTIN_PRESETS:
            return
        self.store.save_preset(name, self._settings.sampling_values())
        self._settings.preset = name
        self._fill_presets()
        self.settings_changed.emit(self._settings)

    def _delete_preset(self) -> None:
        name = self.preset.currentData()
        if name in self.store.list_presets():
            self.store.delete_preset(name)
            self._settings.preset = "Balanced"
            self._fill_presets()
            self.settings_changed.emit(self._settings)

    # ---- conversation settings ---------------------------------------------------------------------------------
    def set_settings(self, s: ChatSettings) -> None:
        self._updating = True
        self._settings = s
        if self.system_prompt.toPlainText() != s.system_prompt:
            self.system_prompt.setPlainText(s.system_prompt)
        self.temperature.setValue(s.temperature)
        self.top_p.setValue(s.top_p)
        self.top_k.setValue(s.top_k)
        self.min_p.setValue(s.min_p)
        self.repeat_penalty.setValue(s.repeat_penalty)
        self.seed.setValue(s.seed)
        self.max_tokens.setValue(s.max_tokens)
        self.policy.setCurrentIndex(max(0, self.policy.findData(s.overflow_policy)))
        self.template.setCurrentIndex(max(0, self.template.findData(s.chat_format)))
        self._select_collection(s.collection)
        if s.n_ctx:
            self.n_ctx.setValue(s.n_ctx)
        self.adapters.set_settings(s)
        self._fill_presets()
        self._updating = False

    def set_model(self, path: str) -> None:
        """The model the conversation runs now (its adapters and projector are offered); "": the one in its
        settings."""
        self.adapters.set_model(path)

    def _sampling_edited(self) -> None:
        if self._updating:
            return
        values = self.presets().get(self._settings.preset)
        self._read()
        if values is not None and any(values.get(k) != v for k, v in self._settings.sampling_values().items()):
            self._settings.preset = ""  # edited: no longer the named preset
            self._fill_presets()
        self.settings_changed.emit(self._settings)

    def _read(self) -> None:
        s = self._settings
        s.system_prompt = self.system_prompt.toPlainText()
        s.temperature = self.temperature.value()
        s.top_p = self.top_p.value()
        s.top_k = self.top_k.value()
        s.min_p = self.min_p.value()
        s.repeat_penalty = self.repeat_penalty.value()
        s.seed = self.seed.value()
        s.max_tokens = self.max_tokens.value()
        s.overflow_policy = self.policy.currentData()
        s.chat_format = self.template.currentData()
        s.collection = self.collection.currentData() or ""

    def set_collections(self, names: list[str]) -> None:
        """The document collections a conversation can answer from (the Documents page's)."""
        current = self._settings.collection if getattr(self, "_settings", None) is not None else ""
        was = self._updating
        self._updating = True
        self.collection.clear()
        self.collection.addItem(translate("SettingsPanel", "None"), "")
        for name in names:
            self.collection.addItem(name, name)
        self._select_collection(current)
        self._updating = was

    def _select_collection(self, name: str) -> None:
        i = self.collection.findData(name)
        if i < 0 and name:  # a collection since removed: kept visible, said
            self.collection.addItem(translate("SettingsPanel", "{name} (removed)").format(name=name), name)
            i = self.collection.count() - 1
        self.collection.setCurrentIndex(max(0, i))

    def _emit(self) -> None:
        if self._updating:
            return
        self._read()
        self.settings_changed.emit(self._settings)

    def _template_chosen(self) -> None:
        if self._updating:
            return
        self._read()
        self.settings_changed.emit(self._settings)
        self.chat_format_changed.emit(self._settings.chat_format)

    def show_template(self, source: str) -> None:
        self.template_info.setText(translate("SettingsPanel", "In use: {source}").format(source=source)
                                   if source else "")

    # ---- load options ---------------------------------------------------------------------------------------------
    def set_load_options(self, s: Settings) -> None:
        self._updating = True
        self.n_ctx.setValue(s.n_ctx)
        self.n_gpu_layers.setValue(s.n_gpu_layers)
        self.n_threads.setValue(s.n_threads)
        self.flash_attn.setChecked(s.flash_attn)
        self.kv_type.setCurrentIndex(max(0, self.kv_type.findData(s.kv_type)))
        self.auto_unload.setValue(s.auto_unload_minutes)
        self._sync_flash()
        s.flash_attn = self.flash_attn.isChecked()  # settings from before this rule come up consistent
        if s.kv_type not in KV_CHOICES:
            s.kv_type = self.kv_type.currentData()
        self._updating = False

    def _sync_flash(self) -> None:
        """A quantized KV cache needs flash attention (llama.cpp refuses it otherwise): ticked and locked, as on
        the Hardware page."""
        quantized = self.kv_type.currentData() != "f16"
        if quantized and not self.flash_attn.isChecked():
            self.flash_attn.setChecked(True)
        self.flash_attn.setEnabled(not quantized)
        self.flash_attn.setToolTip(
            translate("SettingsPanel", "Needed by a quantized KV cache (llama.cpp quantizes the V cache only with "
                      "flash attention).") if quantized
            else translate("SettingsPanel", "Faster attention with less memory on most models."))

    def _load_edited(self) -> None:
        if self._updating:
            return
        s = self.app_settings
        s.n_ctx = self.n_ctx.value()
        s.n_gpu_layers = self.n_gpu_layers.value()
        s.n_threads = self.n_threads.value()
        s.flash_attn = self.flash_attn.isChecked()
        s.kv_type = self.kv_type.currentData()
        s.auto_unload_minutes = self.auto_unload.value()
        self._updating = True
        self._sync_flash()
        self._updating = False
        s.flash_attn = self.flash_attn.isChecked()
        self._settings.n_ctx = s.n_ctx
        self.settings_changed.emit(self._settings)
        self.load_options_changed.emit()
