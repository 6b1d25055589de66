"""The layering rules of ARCHITECTURE.md, enforced on the source:

- app/core is Qt-free and never imports app.ui (so the command line, benchmarks and tests use it without a screen);
- no import cycles among app.* modules, counting imports inside functions too (a cycle "closed" by a function-level
  import is still a cycle);
- a feature folder app/ui/<feature>/ imports only app/ui/common, app/core, the shared context (app/ui/context.py)
  and app's own top-level modules (paths, settings, logs), never another feature: the window (app/ui/main_window.py,
  app/ui/models_page.py) composes features;
- background work in the window runs on app/ui/common/tasks.py's TaskRunner: no other module of app/ui makes a
  thread (QThread, threading.Thread, a thread pool), except the engine worker, which owns the loaded model;
- tests/core mirrors app/core's subject folders.
"""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
CORE = APP / "core"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path) -> list[tuple[str, int]]:
    """Every module name imported by `path` (module level or inside functions), absolute, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            # `from pkg import module` imports the module; `from module import name` the module
            out += [(f"{base}.{a.name}", node.lineno) for a in node.names]
    return out


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """app.* module -> the app.* modules it imports."""
    modules = {module_name(p, root): p for p in (root / "app").rglob("*.py") if "__pycache__" not in p.parts}
    graph = {}
    for name, path in modules.items():
        deps = set()
        for target, _line in imports(path, root):
            while target and target not in modules:  # a name imported from a module: the module itself
                target = target.rpartition(".")[0]
            if target and target != name:
                deps.add(target)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[v] = min(low[v], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def qt_imports(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {name}" for name, line in imports(path, ROOT)
            if name.split(".")[0] in QT_MODULES]


def core_files() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "__pycache__" not in p.parts)


def test_core_never_imports_qt():
    files = core_files()
    assert len(files) >= 3, "app/core should hold the domain modules"
    assert [p for f in files for p in qt_imports(f)] == []


def test_core_never_imports_the_ui():
    bad = [f"{f.relative_to(ROOT)}:{line} imports {name}" for f in core_files()
           for name, line in imports(f, ROOT) if name == "app.ui" or name.startswith("app.ui.")]
    assert bad == []


def test_no_import_cycles_anywhere_in_app():
    assert cycles(import_graph()) == []


def feature_violations(root: Path = ROOT) -> list[str]:
    ui = root / "app" / "ui"
    features = sorted(p.name for p in ui.iterdir() if p.is_dir() and p.name not in ("common", "__pycache__"))
    bad = []
    for folder in features + ["common"]:
        allowed = ("app.ui.common", "app.ui.context") + (() if folder == "common" else (f"app.ui.{folder}",))
        for f in sorted((ui / folder).rglob("*.py")):
            for name, line in imports(f, root):
                if name.startswith("app.ui.") and not any(name == a or name.startswith(a + ".") for a in allowed):
                    bad.append(f"{f.relative_to(root)}:{line} imports {name}")
    return bad


def test_ui_features_import_only_common_core_and_the_context():
    features = {p.name for p in (APP / "ui").iterdir() if p.is_dir()}
    assert {"common", "chat", "discover", "downloads", "library", "hardware", "network"} <= features
    assert feature_violations() == []


THREAD_MAKERS = {"QThread", "Thread", "ThreadPoolExecutor", "QThreadPool", "start_new_thread"}
THREAD_OWNERS = ("app/ui/common/tasks.py", "app/ui/chat/engine_client.py")  # the runner; the engine worker's thread


def thread_violations(root: Path = ROOT) -> list[str]:
    """Calls that make a thread in app/ui outside the task runner and the engine worker."""
    bad = []
    for f in sorted((root / "app" / "ui").rglob("*.py")):
        rel = f.relative_to(root).as_posix()
        if rel in THREAD_OWNERS:
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
                if name in THREAD_MAKERS:
                    bad.append(f"{rel}:{node.lineno} makes a {name}")
    return bad


def test_the_window_runs_background_work_on_the_task_runner_only():
    assert thread_violations() == []


def test_tests_mirror_the_core_folders():
    subjects = sorted(p.name for p in CORE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert {"net", "hub", "downloads", "gguf", "fit", "hardware", "engine", "chats", "library"} <= set(subjects)
    missing = [s for s in subjects if not any((ROOT / "tests" / "core" / s).glob("test_*.py"))]
    assert missing == []
    for s in subjects:  # every core folder has its map
        assert (CORE / s / "README.md").is_file(), f"app/core/{s}/README.md is missing"


def test_the_checkers_catch_a_planted_cycle_qt_import_and_feature_import(tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(APP, copy / "app", ignore=shutil.ignore_patterns("__pycache__"))
    assert cycles(import_graph(copy)) == []
    # a cycle closed only by an import inside a function is still found
    (copy / "app" / "core" / "net" / "policy.py").write_text(
        (APP / "core" / "net" / "policy.py").read_text() + "\n\ndef _planted():\n    from app.core.hub import repos\n")
    found = cycles(import_graph(copy))
    assert found and any("app.core.net.policy" in c and "app.core.hub.repos" in c for c in found)
    bad = copy / "app" / "core" / "_planted_qt.py"
    bad.write_text("def f():\n    from PySide6.QtCore import QObject\n")
    assert [n for n, _ in imports(bad, copy) if n.split(".")[0] in QT_MODULES] == ["PySide6.QtCore.QObject"]
    assert feature_violations(copy) == []
    assert thread_violations(copy) == []
    about = copy / "app" / "ui" / "common" / "about.py"
    about.write_text(about.read_text() + "\n\ndef _planted():\n    import threading\n"
                     "    threading.Thread(target=print).start()\n")
    assert thread_violations(copy) == [f"app/ui/common/about.py:{len(about.read_text().splitlines())} makes a Thread"]
    chat = copy / "app" / "ui" / "chat" / "chat_page.py"
    chat.write_text(chat.read_text() + "\n\ndef _planted():\n    from app.ui.library.library_tab import LibraryTab\n")
    assert feature_violations(copy) == [f"app/ui/chat/chat_page.py:{len(chat.read_text().splitlines())} imports "
                                        "app.ui.library.library_tab.LibraryTab"]
