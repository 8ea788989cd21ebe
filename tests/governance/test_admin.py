"""The Django admin shows the whole archive; evidence cannot be edited there."""

import pytest
from django.urls import reverse

from governance.services import version_record
from tests.factories import DocumentFactory, at

pytestmark = [pytest.mark.django_db, pytest.mark.api]


@pytest.fixture
def version():
    document = DocumentFactory()
    text = "# Terms\n\nA clause.\n"
    return version_record(document=document, text=text, captured_at=at(1)).version


@pytest.mark.parametrize(
    "model", ["provider", "platform", "document", "version", "snapshot", "provision", "change"]
)
def test_every_archive_model_has_a_list_page(admin_client, version, model):
    response = admin_client.get(reverse(f"admin:governance_{model}_changelist"))
    assert response.status_code == 200


def test_versions_are_read_only(admin_client, version):
    url = reverse("admin:governance_version_change", args=[version.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(url, {"text": "rewritten"}).status_code == 403
    assert admin_client.get(reverse("admin:governance_version_add")).status_code == 403
    delete = reverse("admin:governance_version_delete", args=[version.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.text == "# Terms\n\nA clause.\n"


def test_changes_are_read_only(admin_client, version):
    second = version_record(
        document=version.document, text="# Terms\n\nA clause, edited.\n", captured_at=at(2)
    ).version
    change = second.change
    url = reverse("admin:governance_change_change", args=[change.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(url, {"title": "rewritten"}).status_code == 403
    change.refresh_from_db()
    assert change.title != "rewritten"


def test_outsiders_are_sent_to_the_login_page(client, version):
    response = client.get(reverse("admin:governance_version_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
