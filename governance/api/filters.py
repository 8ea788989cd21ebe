"""Query filters of the archive's lists; bad values are 400 problems naming the field."""

import django_filters
from django import forms

from governance.api.moments import parse_moment
from governance.models import Platform, Version


class _StrictBooleanField(forms.TypedChoiceField):
    """Only "true" or "false": a typo must be a 400, not a silently ignored filter."""

    def __init__(self, *args, **kwargs):
        kwargs.update(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            empty_value=None,
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        # Absent is None; present but empty ("?active=") is a mistake worth saying.
        if value == "":
            raise forms.ValidationError("must be true or false.")
        return super().clean(value)


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = _StrictBooleanField


class PlatformFilter(django_filters.FilterSet):
    provider = django_filters.CharFilter(field_name="provider__slug", help_text="Provider slug.")
    active = StrictBooleanFilter(
        field_name="retired_at", lookup_expr="isnull",
        help_text="true: platforms in service; false: retired (renamed) ones.",
    )

    class Meta:
        model = Platform
        fields = ["provider", "active"]


class VersionFilter(django_filters.FilterSet):
    captured_after = django_filters.CharFilter(
        method="filter_captured_after",
        help_text="Captured at or after this date (start of day, UTC) or timestamp.",
    )
    captured_before = django_filters.CharFilter(
        method="filter_captured_before",
        help_text="Captured at or before this date (end of day, UTC) or timestamp.",
    )
    technical = StrictBooleanFilter(
        field_name="is_technical", help_text="Only technical (re-extraction) versions, or none."
    )

    class Meta:
        model = Version
        fields = ["captured_after", "captured_before", "technical"]

    def filter_captured_after(self, queryset, name, value):
        moment = parse_moment(value, field=name, end_of_day=False)
        return queryset.filter(captured_at__gte=moment)

    def filter_captured_before(self, queryset, name, value):
        moment = parse_moment(value, field=name, end_of_day=True)
        return queryset.filter(captured_at__lte=moment)
