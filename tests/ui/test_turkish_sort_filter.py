"""Tables in Turkish: the proxy sorts text in the language's collation (numbers inside names by value) and its
filter matches the Turkish way (İ, I, ı, i match one another); app.core.units writes numbers and times in the
language once the window's language is installed."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QLocale, Qt

from app.core import units
from app.ui.common.locale_format import apply_language, qt_date_format
from app.ui.common.table_model import DISPLAY, SortRole, TableModel, sort_key
from app.ui.common.tables import filter_pattern, locale_proxy, set_filter_text, sortable_table

WORDS = ["zeytin", "İstanbul", "ılık", "Çorba", "ağaç", "çay"]
TURKISH_ORDER = ["ağaç", "çay", "Çorba", "ılık", "İstanbul", "zeytin"]


class Words(TableModel):
    headers = ("Word", "Note")

    def cell(self, obj, col, role):
        if role in (DISPLAY, SortRole):
            return (obj, "")[col] if role == DISPLAY else obj
        return None


@pytest.fixture
def language(qtbot):
    before = QLocale()

    def use(lang: str) -> None:
        QLocale.setDefault(QLocale(lang))  # as install_language does, then its hooks
        apply_language(lang)

    yield use
    QLocale.setDefault(before)
    apply_language("en")
    _keep.clear()


def shown(proxy, col: int = 0) -> list[str]:
    return [proxy.index(i, col).data() for i in range(proxy.rowCount())]


_keep: list = []


def table(qtbot, words):
    model = Words()
    model.set_rows(words)
    view, proxy = sortable_table("Words", model)
    qtbot.addWidget(view)
    _keep.append((model, view))  # the proxy is the view's child
    return model, proxy


def test_turkish_collation_order_and_resort_on_language_change(qtbot, language):
    language("tr")
    _, proxy = table(qtbot, WORDS)
    assert shown(proxy) == TURKISH_ORDER  # not Python's order: "zeytin" < "Çorba" < "çay" < "İstanbul" < "ılık"
    assert sorted(WORDS) != TURKISH_ORDER
    proxy.sort(0, Qt.DescendingOrder)
    assert shown(proxy) == TURKISH_ORDER[::-1]
    proxy.sort(0, Qt.AscendingOrder)
    language("en")  # the open table sorts again: English puts the dotless ı after i
    assert shown(proxy).index("ılık") > shown(proxy).index("İstanbul")
    language("tr")
    assert shown(proxy) == TURKISH_ORDER


def test_numbers_inside_names_sort_by_value(qtbot, language):
    language("tr")
    _, proxy = table(qtbot, ["model 10", "Model 9", "model 2", "ılık 1", "ağaç 100"])
    assert shown(proxy) == ["ağaç 100", "ılık 1", "model 2", "Model 9", "model 10"]
    assert sort_key("q4 v10") == "q" + "4".rjust(20, "0") + " v" + "10".rjust(20, "0")


@pytest.mark.parametrize("text, expected", [
    ("istanbul", ["İstanbul"]), ("ISTANBUL", ["İstanbul"]), ("İstanbul", ["İstanbul"]),
    ("İSTANBUL", ["İstanbul"]),
    ("i̇stanbul", ["İstanbul"]),  # an i with a combining dot, as Python's "İ".lower() writes it
    ("ILIK", ["ılık"]), ("ilik", ["ılık"]), ("ÇORBA", ["Çorba"]), ("çay", ["çay"]), ("AĞAÇ", ["ağaç"]),
    ("Ç", ["ağaç", "çay", "Çorba"]), ("", TURKISH_ORDER), ("  ", TURKISH_ORDER), ("(.*", []),
])
def test_filter_matches_turkish_casing(qtbot, language, text, expected):
    language("tr")
    _, proxy = table(qtbot, WORDS)
    set_filter_text(proxy, text)
    assert shown(proxy) == expected


def test_filter_survives_new_rows_and_lowercased_text(qtbot, language):
    language("tr")
    model, proxy = table(qtbot, WORDS)
    set_filter_text(proxy, "ISTANBUL")
    model.append_rows(["i̇stanbul boğazı", "Ankara"])  # "İstanbul boğazı".lower()
    assert shown(proxy) == ["İstanbul", "i̇stanbul boğazı"]
    assert filter_pattern("Işık") == r"[iIıİ]\x{0307}?\ş[iIıİ]\x{0307}?k" and filter_pattern("(.*") == r"\(\.\*"


def test_a_plain_locale_proxy(qtbot, language):
    language("tr")
    model = Words()
    model.set_rows(WORDS)
    proxy = locale_proxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    assert shown(proxy) == TURKISH_ORDER


def test_units_follow_the_language(language):
    language("tr")
    assert units.human_bytes(1.5 * 1024 ** 3) == "1,5 GiB"
    assert units.percent(0.5) == "%50" and units.number(12345) == "12.345"
    now = time.time()
    assert units.time_ago(now - 300, now) == "5 dakika önce" and units.time_ago(now - 5, now) == "az önce"
    assert units.format_eta(185) == "3 dk 05 sn"
    old = time.mktime((2023, 11, 14, 12, 0, 0, 0, 0, -1))
    assert units.time_ago(old, now) == "14 Kas 2023"  # Kasım: the month in Turkish
    assert units.time_ago(old, now, "%d %b %Y %H:%M") == "14 Kas 2023 12:00"
    language("en")
    assert units.human_bytes(1.5 * 1024 ** 3) == "1.5 GiB" and units.percent(0.5) == "50%"
    assert units.time_ago(now - 300, now) == "5 min ago"
    assert units.time_ago(old, now) == time.strftime("%d %b %Y", time.localtime(old))


def test_qt_date_format():
    assert qt_date_format("%d %b %Y %H:%M") == "dd MMM yyyy HH:mm"
    assert qt_date_format("%Y-%m-%d at %H") == "yyyy-MM-dd 'a''t' HH"


def test_install_language_sets_the_hooks(qtbot, monkeypatch):
    from PySide6.QtCore import QTranslator

    from app.ui.common import i18n

    class Loaded(QTranslator):  # Turkish "installed" without a built hearth_tr.qm (`make i18n`)
        def load(self, *args, **kwargs) -> bool:
            return True

    monkeypatch.setattr(i18n, "QTranslator", Loaded)
    before = QLocale()
    try:
        assert i18n.install_language("tr") == "tr"
        assert units.percent(0.5) == "%50" and units.human_bytes(1.5 * 1024 ** 2) == "1,5 MiB"
        assert units.time_ago(time.time() - 120) == "2 dakika önce"
        assert i18n.install_language("en") == "en"
        assert units.percent(0.5) == "50%" and units.time_ago(time.time() - 120) == "2 min ago"
    finally:
        i18n.install_language("en")
        QLocale.setDefault(before)
