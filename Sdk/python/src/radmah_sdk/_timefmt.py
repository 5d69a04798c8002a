"""RFC 3339 timestamps as the API writes them (up to nanoseconds, 'Z')."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$")


def parse_timestamp(value: Any) -> Optional[datetime]:
    """A timezone-aware datetime, or None for an absent or empty value. Digits past microseconds are dropped."""
    if value is None or value == "":
        return None
    match = _PATTERN.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not an RFC 3339 timestamp")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0").ljust(6, "0")[:6])
    if zone == "Z":
        tz = timezone.utc
    else:
        sign = 1 if zone[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz)
