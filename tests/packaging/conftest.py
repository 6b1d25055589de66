"""Bundle tests (marked ``package``) build the PyInstaller bundle and run it: minutes of work, and not safe
to run from several `make test`s at once in one working tree. So a run without ``-m`` deselects them,
and says so at the end; ``make package-test`` (and CI) runs them with ``-m package``."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("markexpr"):  # an explicit -m decides what runs
        return
    bundle = [item for item in items if item.get_closest_marker("package")]
    if bundle:
        config.hook.pytest_deselected(items=bundle)
        items[:] = [item for item in items if not item.get_closest_marker("package")]
        config.stash[_DESELECTED] = len(bundle)


_DESELECTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    n = config.stash.get(_DESELECTED, 0)
    if n:
        terminalreporter.write_line(f"{n} bundle tests deselected (they build and run the PyInstaller bundle): "
                                    "run `make package-test` or `pytest -m package`")
