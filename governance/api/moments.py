"""Parsing the API's points in time: a full ISO 8601 timestamp or a bare date."""

from datetime import UTC, datetime, time

from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError


def parse_moment(value: str, *, field: str, end_of_day: bool) -> datetime:
    """A bare date means the start of that day (UTC) or, with ``end_of_day``, its end.

    A timestamp without a zone is read as UTC, since every time in the API is UTC.
    """
    value = value.strip()
    try:
        # Date first: parse_datetime (fromisoformat) would read "2025-09-15" as midnight.
        day = parse_date(value)
        moment = None if day else parse_datetime(value)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ValidationError(
            {field: f"{value!r} is not a date (2025-09-15) or an ISO 8601 timestamp "
                    "(2025-09-15T12:00:00Z)."}
        )
    if moment is None:
        moment = datetime.combine(day, time.max if end_of_day else time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
