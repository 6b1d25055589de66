"""app/core is Qt-free: it must be usable by the command line and benchmarks without a screen."""
import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6")


def qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            if n.split(".")[0] in QT_MODULES:
                found.append(f"{path.relative_to(CORE.parent.parent)}:{node.lineno} imports {n}")
    return found


def test_core_never_imports_qt():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 3, "app/core should hold the domain modules"
    problems = [p for f in files for p in qt_imports(f)]
    assert problems == []


def test_checker_catches_a_qt_import(tmp_path):
    bad = CORE / "_tmp_probe_for_test.py"
    try:
        bad.write_text("from PySide6.QtCore import QObject\n")
        assert qt_imports(bad), "the checker must notice a Qt import"
    finally:
        bad.unlink()
