"""Clock skew in words, and the five-minute line."""

from __future__ import annotations

from datetime import timedelta

from app.domain.clock_skew import is_off, skew_in_words, station_warning, station_warning_short


def test_skew_in_words_rounds_to_the_second_then_down() -> None:
    assert skew_in_words(-timedelta(days=2, hours=23)) == "2 days behind"
    assert skew_in_words(timedelta(hours=3) - timedelta(milliseconds=300)) == "3 hours ahead"
    assert skew_in_words(-timedelta(minutes=1)) == "1 minute behind"
    assert skew_in_words(timedelta(seconds=42)) == "42 seconds ahead"


def test_only_beyond_five_minutes_is_said() -> None:
    assert not is_off(None) and not is_off(timedelta(minutes=5))
    assert station_warning(-timedelta(minutes=4, seconds=59)) == ""
    assert is_off(timedelta(minutes=5, seconds=1))
    assert station_warning(-timedelta(days=2)) == (
        "This terminal's clock is 2 days behind — ask IT to set the time"
    )
    assert station_warning_short(timedelta(hours=7)) == "Clock 7 hours ahead — ask IT"
