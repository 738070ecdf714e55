"""``ScheduleRecurrence`` -> the recurrence record of DESIGN.md §8 (§10.4g), and back.

``time_of_day "hh:mm"`` -> ``hours=[hh], minutes=[mm]``; no time zone -> ``UTC``; Windows zone names ->
IANA; ``start_time`` a naive ``datetime`` or ``"YYYY-MM-DDThh:mm:ss"`` (an aware datetime: ``ValueError``,
as the SDK). A broken rule is a ``UserErrorException`` naming the argument.
"""

import datetime as _dt
import re
from typing import Any, Dict, List, Optional

from ..exceptions import UserErrorException
from .zones import to_iana

FREQUENCIES = ("Minute", "Hour", "Day", "Week", "Month")
WEEK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_START = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})$")


def _bad(argument: str, why: str) -> UserErrorException:
    return UserErrorException("ScheduleRecurrence %s: %s" % (argument, why))


def _int_list(argument: str, values: Any, top: int) -> List[int]:
    if isinstance(values, int) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, (list, tuple)) or not values:
        raise _bad(argument, "expected a non-empty list of whole numbers from 0 to %d, got %r" % (top, values))
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= top:
            raise _bad(argument, "each value must be a whole number from 0 to %d, got %r" % (top, v))
        out.append(v)
    return out


def start_text(start_time: Any) -> Optional[str]:
    if start_time is None:
        return None
    if isinstance(start_time, _dt.datetime):
        if start_time.tzinfo is not None and start_time.utcoffset() is not None:
            raise ValueError("ScheduleRecurrence start_time must be a naive datetime (no tzinfo): the time_zone "
                             "argument gives its zone")
        return start_time.replace(microsecond=0).isoformat()
    if isinstance(start_time, str) and _START.match(start_time):
        try:
            _dt.datetime.strptime(start_time, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            raise _bad("start_time", "%r is not a valid date and time" % start_time) from None
        return start_time
    raise _bad("start_time", "expected a naive datetime or 'YYYY-MM-DDThh:mm:ss', got %r" % (start_time,))


def to_record(frequency: Any, interval: Any, start_time: Any = None, time_zone: Any = None, hours: Any = None,
              minutes: Any = None, week_days: Any = None, time_of_day: Any = None) -> Dict[str, Any]:
    if frequency not in FREQUENCIES:
        raise _bad("frequency", "expected one of %s, got %r" % (", ".join(FREQUENCIES), frequency))
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise _bad("interval", "expected a whole number of at least 1, got %r" % (interval,))
    if time_of_day is not None:
        if hours is not None or minutes is not None:
            raise _bad("time_of_day", "give either time_of_day or hours/minutes, not both")
        m = _TIME_OF_DAY.match(str(time_of_day))
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise _bad("time_of_day", "expected 'hh:mm' (24-hour), got %r" % (time_of_day,))
        hours, minutes = [int(m.group(1))], [int(m.group(2))]
    record: Dict[str, Any] = {"frequency": frequency, "interval": interval}
    start = start_text(start_time)
    if start is not None:
        record["startTime"] = start
    record["timeZone"] = to_iana(time_zone)
    for argument, values, top, key in (("hours", hours, 23, "hours"), ("minutes", minutes, 59, "minutes")):
        if values is None:
            continue
        if frequency not in ("Day", "Week"):
            raise _bad(argument, "only allowed with frequency Day or Week, not %s" % frequency)
        record[key] = _int_list(argument, values, top)
    if week_days is not None:
        if frequency != "Week":
            raise _bad("week_days", "only allowed with frequency Week, not %s" % frequency)
        days = [week_days] if isinstance(week_days, str) else list(week_days)
        by_lower = {d.lower(): d for d in WEEK_DAYS}
        if not days or any(str(d).lower() not in by_lower for d in days):
            raise _bad("week_days", "expected day names (%s), got %r" % (", ".join(WEEK_DAYS), week_days))
        record["weekDays"] = [by_lower[str(d).lower()] for d in days]
    return record


def describe(record: Dict[str, Any]) -> str:
    """One line, e.g. ``Runs at 06:15 on Tuesday every 1 Week (UTC)``."""
    parts = ["Runs"]
    hours, minutes = record.get("hours"), record.get("minutes")
    if hours or minutes:
        times = ["%02d:%02d" % (h, m) for h in (hours or [0]) for m in (minutes or [0])]
        parts.append("at " + ", ".join(times))
    if record.get("weekDays"):
        parts.append("on " + ", ".join(record["weekDays"]))
    parts.append("every %d %s" % (record.get("interval", 1), record.get("frequency")))
    if record.get("startTime"):
        parts.append("from " + record["startTime"])
    return "%s (%s)" % (" ".join(parts), record.get("timeZone", "UTC"))
