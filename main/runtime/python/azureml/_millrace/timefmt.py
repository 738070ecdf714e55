"""ISO 8601 times of records -> timezone-aware UTC datetimes, and back."""

import datetime as _dt
from typing import Optional


def parse_utc(text: Optional[str]) -> Optional[_dt.datetime]:
    if not text:
        return None
    value = text.strip().replace("Z", "+00:00")
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        # Python 3.9/3.10 fromisoformat takes only 0, 3 or 6 fraction digits.
        head, _, frac = value.partition(".")
        tail = ""
        for sign in "+-":
            if sign in frac:
                frac, tail = frac.split(sign, 1)[0], sign + frac.split(sign, 1)[1]
                break
        parsed = _dt.datetime.fromisoformat("%s.%s%s" % (head, (frac + "000000")[:6], tail))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    return parsed.astimezone(_dt.timezone.utc)


def iso_utc(text: Optional[str]) -> Optional[str]:
    """``get_details()`` times: ISO 8601 in UTC (``...Z``), or None."""
    parsed = parse_utc(text)
    if parsed is None:
        return None
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (parsed.microsecond // 1000)
