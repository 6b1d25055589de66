"""Translations (issue "Hearth in Turkish"): every user-visible string in app/ui goes through Qt's translation
system, and each i18n/hearth_<lang>.ts is complete, current, and keeps each source's placeholders.

1. An AST scan of app/ui: a widget text given as a plain string literal, an f-string or a concatenation (to a
   constructor such as QLabel/QPushButton, or to setText/setToolTip/setAccessibleName/... , a tab label, a combo
   item's text, a message box) fails, naming the file and line. Texts made with ``translate(...)`` (and
   ``.format`` on it), variables and non-words (symbols, numbers) pass.
2. Each .ts file: no entry unfinished, vanished or obsolete; every ``{name}``, ``%n`` and ``%1``... of a source is
   in its translation, and nothing else.
3. pyside6-lupdate run over app/ now finds exactly the sources the .ts file holds (none missing, none stale).
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "app" / "ui"
TS_FILES = sorted((ROOT / "i18n").glob("hearth_*.ts"))
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"

TEXT_SETTERS = {"setText": 0, "setToolTip": 0, "setPlaceholderText": 0, "setWindowTitle": 0, "setStatusTip": 0,
                "setWhatsThis": 0, "setAccessibleName": 0, "setAccessibleDescription": 0, "setTitle": 0,
                "addTab": 1, "insertTab": 2, "setTabText": 1, "setTabToolTip": 1, "addItem": 0, "insertItem": 1,
                "setInformativeText": 0, "setHeaderLabels": 0, "setHorizontalHeaderLabels": 0, "addAction": 0,
                "setSpecialValueText": 0, "setSuffix": 0, "setPrefix": 0, "showMessage": 0}
WIDGETS = {"QLabel": 0, "QPushButton": 0, "QCheckBox": 0, "QRadioButton": 0, "QGroupBox": 0, "QToolButton": 0,
           "QAction": 0, "QMenu": 0, "QCommandLinkButton": 0}
SHOWERS = {"show_error", "show_notice", "say"}  # the pages' own banner and status setters
MESSAGE_BOXES = {"information", "warning", "critical", "question", "about"}
WORD = re.compile(r"[A-Za-z]{2,}")


def _is_words(node: ast.AST) -> bool:
    """A literal (or f-string / concatenation holding one) with words in it: something a person reads."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_words(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_words(node.left) or _is_words(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_words(e) for e in node.elts)
    return False


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _marked_constants(tree: ast.AST) -> set[str]:
    """Module names assigned ``QT_TRANSLATE_NOOP(...)``: English until passed through ``translate``."""
    names = set()
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                _callee(node.value) == "QT_TRANSLATE_NOOP":
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def untranslated(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    marked = _marked_constants(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        args: list[ast.AST] = []
        if name in TEXT_SETTERS and len(node.args) > TEXT_SETTERS[name]:
            args.append(node.args[TEXT_SETTERS[name]])
        elif name in WIDGETS and node.args:
            args.append(node.args[WIDGETS[name]])
        elif name in MESSAGE_BOXES and isinstance(node.func, ast.Attribute) and \
                getattr(node.func.value, "id", "") == "QMessageBox":
            args.extend(node.args[1:3])
        args.extend(kw.value for kw in node.keywords if kw.arg in ("text", "title", "toolTip"))
        if name in SHOWERS and node.args:
            args.append(node.args[0])
        for a in args:
            if _is_words(a) or isinstance(a, ast.Name) and a.id in marked:  # a marked constant shown as it is
                found.append(f"{path.relative_to(ROOT)}:{a.lineno}: {ast.unparse(a)[:70]}")
    return found


def test_every_visible_string_in_app_ui_is_translatable():
    problems = [p for f in sorted(UI.rglob("*.py")) for p in untranslated(f)]
    assert not problems, "not translatable (wrap in translate(\"Context\", ...)):\n" + "\n".join(problems)


def test_the_scan_catches_what_it_should(tmp_path):
    f = tmp_path / "x.py"
    f.write_text('QLabel("Hello")\nb.setToolTip(f"Load {name}")\nQPushButton("Go " + x)\n'
                 'QMessageBox.warning(self, "Title", "Body")\n'
                 'ok = QLabel(translate("C", "Hello"))\nQLabel("…")\nQLabel(name)\n'
                 'b.setText(translate("C", "{n} files").format(n=n))\n'
                 'NOTE = QT_TRANSLATE_NOOP("C", "A note")\nself.show_notice(NOTE)\n'
                 'self.show_notice(translate("C", NOTE))\n', encoding="utf-8")
    rel = f.relative_to(tmp_path)
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        lines = [p.split(":")[1] for p in untranslated(f)]
    finally:
        ROOT = saved
    assert lines == ["1", "2", "3", "4", "4", "10"], (rel, lines)


PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%n|%L?\d")


def _messages(ts: Path):
    root = ET.parse(ts).getroot()
    for ctx in root.iter("context"):
        cname = ctx.findtext("name")
        for m in ctx.iter("message"):
            yield cname, m


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_translation_file_is_complete_and_keeps_placeholders(ts):
    problems = []
    for cname, m in _messages(ts):
        source = m.findtext("source") or ""
        tr = m.find("translation")
        kind = tr.get("type") if tr is not None else "missing"
        if kind in ("unfinished", "vanished", "obsolete", "missing"):
            problems.append(f"{cname}: {source!r} is {kind}")
            continue
        forms = [n.text or "" for n in tr.iter("numerusform")] if m.get("numerus") == "yes" else [tr.text or ""]
        want = sorted(PLACEHOLDER.findall(source))
        for text in forms:
            if not text.strip():
                problems.append(f"{cname}: {source!r} has an empty translation")
            elif sorted(PLACEHOLDER.findall(text)) != want:
                problems.append(f"{cname}: {source!r} -> {text!r}: placeholders {want} differ")
    assert not problems, "\n".join(problems[:60]) + (f"\n... {len(problems)} in all" if len(problems) > 60 else "")


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_translation_file_matches_the_code(ts, tmp_path):
    fresh = tmp_path / ts.name
    files = sorted(str(p) for p in (ROOT / "app").rglob("*.py"))
    subprocess.run([str(LUPDATE), "-silent", "-locations", "none", *files, "-ts", str(fresh)], check=True,
                   cwd=ROOT, capture_output=True, timeout=300)
    in_code = {(c, m.findtext("source"), m.findtext("comment")) for c, m in _messages(fresh)}
    in_ts = {(c, m.findtext("source"), m.findtext("comment")) for c, m in _messages(ts)}
    missing, stale = sorted(in_code - in_ts, key=str), sorted(in_ts - in_code, key=str)
    assert not missing and not stale, (f"{len(missing)} strings in the code are not in {ts.name} (run `make "
                                       f"i18n-update` and translate them): {missing[:10]}; {len(stale)} in it are "
                                       f"no longer in the code: {stale[:10]}")


def test_there_is_a_turkish_translation():
    assert (ROOT / "i18n" / "hearth_tr.ts") in TS_FILES
