"""app/core/units.py in the user's language: the Qt-free hooks the window sets (set_number_format,
set_time_words), English exactly as before without them."""
from __future__ import annotations

import time

import pytest

from app.core import units
from app.core.units import format_eta, human_bytes, human_params, number, percent, plural, time_ago

GiB = 1024 ** 3
NOW = time.mktime((2024, 3, 14, 15, 0, 0, 0, 0, -1))  # a local Thursday afternoon
TR_WORDS = {"now": "az önce", "minutes": "{n} dakika önce", "hours": "{n} saat önce", "yesterday": "dün"}


@pytest.fixture(autouse=True)
def english_again():
    yield
    units.set_number_format()
    units.set_time_words()


@pytest.fixture
def turkish():
    units.set_number_format(decimal_point=",", group_separator=".", percent_before=True)
    units.set_time_words(lambda n, unit: TR_WORDS[unit].format(n=number(n)), {"s": "sn", "min": "dk", "h": "sa"})


def test_english_is_unchanged():
    assert [human_bytes(n) for n in (None, 0, 1023, 1024 * 1000, 1.5 * GiB, 3 * 1024 ** 4, 5000 * 1024 ** 4)] == [
        "unknown", "0 B", "1023 B", "1000 KiB", "1.5 GiB", "3.0 TiB", "5000.0 TiB"]
    assert human_params(1_500_000_000) == "1.5B" and human_params(135_000_000) == "135M" and human_params(0) == "—"
    assert plural(12345, "token") == "12,345 tokens" and plural(1, "file") == "1 file"
    assert number(12345) == "12,345" and number(1234.5, 2) == "1,234.50" and number(-7) == "-7"
    assert percent(0.5) == "50%" and percent(0.125, 1) == "12.5%" and percent(1) == "100%"
    assert [format_eta(s) for s in (None, 5, 185, 3900)] == ["—", "5 s", "3 min 05 s", "1 h 05 min"]
    assert [time_ago(NOW - d, NOW) for d in (10, 300, 3 * 3600)] == ["just now", "5 min ago", "3 h ago"]
    assert time_ago(NOW - 86400 * 1.2, NOW) == time.strftime("%d %b %Y", time.localtime(NOW - 86400 * 1.2))


def test_english_matches_python_formats():
    for x in (0, 0.001, 0.125, 0.5, 0.999, 0.9951, 1.5, 2.675):
        assert percent(x) == f"{x:.0%}" and percent(x, 1) == f"{x:.1%}"
    for n in (0, 7, 999, 1000, -1234567, 10 ** 12):
        assert number(n) == f"{n:,}"


def test_turkish_numbers(turkish):
    assert human_bytes(1.5 * GiB) == "1,5 GiB" and human_bytes(1023) == "1023 B"
    assert human_bytes(2.25 * 1024 ** 2) == "2,2 MiB"
    assert number(12345) == "12.345" and number(1234567.891, 2) == "1.234.567,89"
    assert percent(0.5) == "%50" and percent(0.125, 1) == "%12,5"
    assert plural(12345, "token") == "12.345 tokens"
    assert human_params(1_500_000_000) == "1,5B"


def test_turkish_times(turkish):
    assert time_ago(NOW - 10, NOW) == "az önce"
    assert time_ago(NOW - 300, NOW) == "5 dakika önce"
    assert time_ago(NOW - 3 * 3600, NOW) == "3 saat önce"
    assert time_ago(NOW - 86400 - 3600, NOW) == "dün"  # yesterday, 14:00
    three_days = NOW - 3 * 86400
    assert time_ago(three_days, NOW) == time.strftime("%d %b %Y", time.localtime(three_days))  # no date hook
    assert [format_eta(s) for s in (5, 185, 3900)] == ["5 sn", "3 dk 05 sn", "1 sa 05 dk"]


def test_yesterday_needs_the_calendar_day():
    units.set_time_words(lambda n, unit: TR_WORDS[unit].format(n=n), date=lambda ts, fmt: "DATE")
    just_after_midnight = time.mktime((2024, 3, 14, 0, 30, 0, 0, 0, -1))
    assert time_ago(just_after_midnight - 47 * 3600, just_after_midnight) == "DATE"  # two days back: a date
    assert time_ago(NOW - 30 * 3600, NOW) == "dün"


def test_a_language_without_a_word_falls_back_to_english():
    units.set_time_words(lambda n, unit: None)
    assert time_ago(NOW - 300, NOW) == "5 min ago"
    yesterday = NOW - 86400 - 3600
    assert time_ago(yesterday, NOW) == time.strftime("%d %b %Y", time.localtime(yesterday))
