"""checks_prune(): checks older than CHECK_RETENTION_DAYS go, the rest stay."""

from datetime import timedelta

import pytest

from monitoring.models import Check
from monitoring.services import checks_prune
from tests.factories import DocumentFactory, at

pytestmark = pytest.mark.django_db


def check_at(document, started_at):
    return Check.objects.create(
        document=document, started_at=started_at, finished_at=started_at, outcome="unchanged"
    )


def test_only_checks_older_than_the_retention_are_deleted(settings, time_machine):
    settings.CHECK_RETENTION_DAYS = 30
    now = at(100)
    time_machine.move_to(now, tick=False)
    document = DocumentFactory()
    old = check_at(document, now - timedelta(days=30, seconds=1))
    check_at(document, now - timedelta(days=31))
    kept = [
        check_at(document, now - timedelta(days=30)),
        check_at(document, now - timedelta(days=1)),
        check_at(document, now),
    ]

    assert checks_prune() == 2

    assert not Check.objects.filter(pk=old.pk).exists()
    assert set(Check.objects.values_list("pk", flat=True)) == {check.pk for check in kept}
    assert checks_prune() == 0
