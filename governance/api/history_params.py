"""Query parameters of the timelines and the changes feed, validated in one place.

Each is a DRF serializer over the query string: a wrong value is a 400 problem whose
``errors`` name the parameter, and drf-spectacular documents every parameter from it.
Dates follow ``governance.api.moments``: ``since`` a bare date is the start of that
day, ``until`` its end (both inclusive); a timestamp without a zone is UTC.
"""

import re

from rest_framework import serializers

from governance.api.moments import parse_moment
from governance.history import (
    FLAG_CATEGORIES,
    SIGNIFICANCES,
    TECHNICAL_CHOICES,
    FlagFilter,
)


class MomentField(serializers.CharField):
    def __init__(self, *, end_of_day: bool, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return parse_moment(value, field=self.field_name, end_of_day=self.end_of_day)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(error.detail[self.field_name]) from None


class CommaListField(serializers.ListField):
    """Repeatable (``?x=a&x=b``) or a comma list (``?x=a,b``), or both; never empty."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        items = [part.strip() for value in data for part in str(value).split(",")]
        items = [item for item in items if item]
        if not items:
            raise serializers.ValidationError("name at least one value.")
        # In the order given, once each.
        return super().to_internal_value(list(dict.fromkeys(items)))


_FLAG_PATTERN = re.compile(r"^(?P<category>[a-z-]+)(?::(?P<subject>.+))?$")


class FlagFilterField(serializers.CharField):
    default_error_messages = {
        "invalid_flag": "{value!r} is not a flag filter: a category ({categories}), "
                        "optionally with ':subject' (right:opt-out).",
    }

    def to_internal_value(self, data) -> FlagFilter:
        value = super().to_internal_value(data)
        match = _FLAG_PATTERN.match(value)
        if match is None or match["category"] not in FLAG_CATEGORIES:
            self.fail("invalid_flag", value=value, categories=", ".join(FLAG_CATEGORIES))
        subject = match["subject"].strip() if match["subject"] else None
        return FlagFilter(category=match["category"], subject=subject or None)


class QuerySerializer(serializers.Serializer):
    """A query string's parameters: one present but empty (``?until=``) is a mistake to
    report, where DRF would read it as absent, as an HTML form means it."""

    def to_internal_value(self, data):
        getlist = getattr(data, "getlist", lambda name: [data.get(name)])
        empty = {
            name: ["must not be empty: give a value or leave the parameter out."]
            for name in self.fields
            if name in data and all(value in ("", None) for value in getlist(name))
        }
        if empty:
            raise serializers.ValidationError(empty)
        return super().to_internal_value(data)


def _significance_field() -> CommaListField:
    return CommaListField(
        child=serializers.ChoiceField(choices=SIGNIFICANCES), required=False,
        help_text="major, minor or editorial; repeat it or give a comma list. Versions "
                  "without a summary (first, technical, suspect) never match.",
    )


def _since_field() -> MomentField:
    return MomentField(
        end_of_day=False, required=False,
        help_text="Captured at or after this date (start of day, UTC) or timestamp.",
    )


def _until_field() -> MomentField:
    return MomentField(
        end_of_day=True, required=False,
        help_text="Captured at or before this date (end of day, UTC) or timestamp.",
    )


def _check_range(attrs: dict) -> dict:
    since, until = attrs.get("since"), attrs.get("until")
    if since is not None and until is not None and since > until:
        raise serializers.ValidationError({"until": "must not be before since."})
    return attrs


class TimelineQuerySerializer(QuerySerializer):
    since = _since_field()
    until = _until_field()
    significance = _significance_field()
    technical = serializers.ChoiceField(
        choices=TECHNICAL_CHOICES, default="all",
        help_text="all (default), true: technical versions only, false: none of them.",
    )
    order = serializers.ChoiceField(
        choices=["captured_at", "-captured_at"], default="captured_at",
        help_text="captured_at: oldest first (default); -captured_at: newest first.",
    )
    include_predecessors = serializers.ChoiceField(
        choices=["true", "false"], default="true",
        help_text="true (default): the history of the platforms retired into this one "
                  "(renamed services) comes first, each entry naming its platform.",
    )

    def validate(self, attrs):
        return _check_range(attrs)


class PlatformTimelineQuerySerializer(TimelineQuerySerializer):
    kind = serializers.SlugField(
        required=False, help_text="Only this document kind (privacy-policy ...)."
    )


class ChangesQuerySerializer(QuerySerializer):
    platform = CommaListField(
        child=serializers.SlugField(), required=False,
        help_text="Platform slug; repeat it or give a comma list.",
    )
    kind = CommaListField(
        child=serializers.SlugField(), required=False,
        help_text="Document kind (privacy-policy ...); repeat it or give a comma list.",
    )
    significance = _significance_field()
    flag = CommaListField(
        child=FlagFilterField(), required=False,
        help_text="Changes with at least one flag of this category "
                  f"({', '.join(FLAG_CATEGORIES)}), or of category:subject (right:opt-out); "
                  "repeat it or give a comma list.",
    )
    since = _since_field()
    until = _until_field()
    origin = serializers.ChoiceField(
        choices=["check", "import"], required=False,
        help_text="check: seen by a live check; import: from a history import.",
    )
    technical = serializers.ChoiceField(
        choices=TECHNICAL_CHOICES, default="false",
        help_text="false (default): changes of the documents only; true: only technical "
                  "versions (changes of our extraction); all: both.",
    )

    def validate(self, attrs):
        return _check_range(attrs)
