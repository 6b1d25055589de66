"""The Hardware page: what this machine has."""
from __future__ import annotations

import os
import platform

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.core.library import human_size
from app.ui.application import AppContext


class HardwarePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel("This computer")
        title.setProperty("heading", True)
        self.form = QFormLayout()
        self.cpu = QLabel()
        self.ram = QLabel()
        self.disk = QLabel()
        self.form.addRow("Processor:", self.cpu)
        self.form.addRow("Memory:", self.ram)
        self.form.addRow("Disk (models folder):", self.disk)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addWidget(title)
        lay.addLayout(self.form)
        lay.addStretch(1)

    def on_shown(self) -> None:
        import shutil

        import psutil

        self.cpu.setText(f"{platform.processor() or platform.machine()} · "
                         f"{psutil.cpu_count(logical=False)} cores / {os.cpu_count()} threads")
        vm = psutil.virtual_memory()
        self.ram.setText(f"{human_size(vm.total)} total · {human_size(vm.available)} available")
        du = shutil.disk_usage(self.ctx.models_dir)
        self.disk.setText(f"{human_size(du.free)} free of {human_size(du.total)}")
