"""A limited plan reads the archive as it stood within its window (Free: 365 days)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.services import snapshot_store, version_record
from tests.factories import DocumentFactory, organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

URL = "/api/v1/platforms/window-test/documents/privacy-policy/"


@pytest.fixture
def history():
    """Captured 800, 400 and 100 days ago: the middle one was in force until 100 days ago."""
    document = DocumentFactory(platform__slug="window-test")
    now = timezone.now()
    versions = []
    for days in (800, 400, 100):
        moment = now - timedelta(days=days)
        snapshot = snapshot_store(content=f"window test bytes {days}".encode(),
                                  media_type="text/plain", fetched_at=moment)
        versions.append(version_record(
            document=document, text=f"# P\n\nClause as of day {days}.\n",
            captured_at=moment, snapshots=[snapshot]).version)
    return versions


def test_free_snapshots_follow_the_same_window(free, history):
    oldest, middle, latest = (v.snapshots.get().sha256 for v in history)
    assert free.get(f"/api/v1/snapshots/{latest}/").status_code == 200
    assert free.get(f"/api/v1/snapshots/{middle}/").status_code == 200
    assert free.get(f"/api/v1/snapshots/{oldest}/").status_code == 403


@pytest.fixture
def free():
    _, _, secret = organization_with_key("free")
    return client_for(secret)


def test_free_sees_every_version_in_force_within_the_year(free, history):
    oldest, middle, latest = history
    listed = [row["id"] for row in free.get(URL + "versions/").json()["results"]]
    assert listed == [latest.pk, middle.pk]
    assert free.get(f"/api/v1/versions/{middle.pk}/").status_code == 200
    refused = free.get(f"/api/v1/versions/{oldest.pk}/")
    assert refused.status_code == 403
    assert refused.json()["required_plan"] == "professional"


def test_free_as_of_follows_the_same_window(free, history):
    in_window = (timezone.now() - timedelta(days=200)).date().isoformat()
    assert free.get(URL + "as-of/", {"as_of": in_window}).json()["version"]["id"] == history[1].pk
    too_old = (timezone.now() - timedelta(days=500)).date().isoformat()
    assert free.get(URL + "as-of/", {"as_of": too_old}).status_code == 403


def test_professional_sees_everything(owner, history):
    listed = owner.client.get(URL + "versions/").json()["results"]
    assert len(listed) == 3
    assert owner.client.get(f"/api/v1/versions/{history[0].pk}/").status_code == 200
