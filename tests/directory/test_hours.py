from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Optional
from zoneinfo import ZoneInfo

from directory import hours

UK = ZoneInfo("Europe/London")


@dataclass
class Row:
    byday: Optional[str] = None
    opens_at: Optional[time] = None
    closes_at: Optional[time] = None
    open_24_7: bool = False
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    closed_bank_holidays: bool = False


WEEKDAYS_9_5 = [Row(d, time(9), time(17), closed_bank_holidays=True)
                for d in ("MO", "TU", "WE", "TH", "FR")]
EVENINGS = [Row(d, time(18), time(0)) for d in ("SA", "SU", "MO")]


def uk(*args) -> datetime:
    return datetime(*args, tzinfo=UK)


def test_open_in_uk_time_across_summer_time():
    # 08:30 UTC on a July Monday is 09:30 in the UK: open.
    assert hours.is_open(WEEKDAYS_9_5, datetime(2026, 7, 6, 8, 30, tzinfo=timezone.utc))
    # 08:30 UTC on a January Monday is 08:30 in the UK: not yet.
    assert not hours.is_open(WEEKDAYS_9_5, datetime(2026, 1, 5, 8, 30, tzinfo=timezone.utc))


def test_closed_on_bank_holidays_when_the_service_says_so():
    assert hours.is_bank_holiday(date(2026, 12, 28))  # Boxing Day moved to Monday
    assert not hours.is_open(WEEKDAYS_9_5, uk(2026, 12, 28, 11, 0))
    assert hours.is_open(WEEKDAYS_9_5, uk(2026, 12, 29, 11, 0))


def test_evening_opening_runs_to_midnight():
    assert hours.is_open(EVENINGS, uk(2026, 11, 23, 23, 30))  # Monday evening
    assert not hours.is_open(EVENINGS, uk(2026, 11, 24, 0, 30))  # Tuesday 00:30
    assert hours.status_line(EVENINGS, uk(2026, 11, 23, 19, 0)) == "Open now until midnight"


def test_overnight_range_counts_after_midnight():
    overnight = [Row("FR", time(22), time(2))]
    assert hours.is_open(overnight, uk(2026, 11, 28, 1, 0))  # Saturday 1am
    assert not hours.is_open(overnight, uk(2026, 11, 28, 3, 0))


def test_next_opening_and_status_lines():
    friday_evening = uk(2026, 11, 27, 18, 0)
    assert hours.next_opening(WEEKDAYS_9_5, friday_evening) == uk(2026, 11, 30, 9, 0)
    assert hours.status_line(WEEKDAYS_9_5, friday_evening) == "Closed now. Opens Mon 9am"
    assert hours.status_line(WEEKDAYS_9_5, uk(2026, 11, 26, 7, 0)) == "Closed now. Opens today 9am"
    assert hours.status_line([Row(open_24_7=True)], friday_evening) == "Open 24/7"
    assert hours.status_line([], friday_evening) == "Hours not known"
    assert hours.is_open([], friday_evening) is None


def test_valid_dates_limit_a_schedule():
    winter = [Row("MO", time(10), time(14), valid_from=date(2026, 11, 1), valid_to=date(2027, 3, 31))]
    assert hours.is_open(winter, uk(2026, 11, 23, 11, 0))
    assert not hours.is_open(winter, uk(2027, 4, 5, 11, 0))


def test_format_time():
    assert [hours.format_time(t) for t in (time(9), time(17, 30), time(0), time(12))] == \
        ["9am", "5:30pm", "midnight", "noon"]
