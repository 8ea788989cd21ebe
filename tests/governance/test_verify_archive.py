"""manage.py verify_archive catches altered texts, altered bytes and broken links."""

from io import StringIO

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from governance.models import Version
from governance.services import snapshot_store, version_record
from tests.factories import DocumentFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    document = DocumentFactory(platform__slug="verify-me")
    snapshot = snapshot_store(
        content=b"# Terms\n\nverify-archive test bytes\n",
        media_type="text/markdown",
        fetched_at=at(1),
    )
    versions = [
        version_record(
            document=document, text=f"# Terms\n\nClause {n}.\n", captured_at=at(n),
            snapshots=[snapshot] if n == 1 else [],
        ).version
        for n in (1, 2, 3)
    ]
    return document, snapshot, versions


def verify(*args) -> str:
    out = StringIO()
    call_command("verify_archive", "--platform", "verify-me", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_intact_archive_passes(history):
    assert verify() == "archive intact: 1 documents, 3 versions, 1 snapshots\n"


def test_the_whole_archive_is_checked_without_a_platform(history):
    out = StringIO()
    call_command("verify_archive", stdout=out)
    assert out.getvalue().startswith("archive intact:")


def test_an_unknown_platform_is_an_error():
    with pytest.raises(CommandError, match="no platform named nope"):
        verify_platform("nope")


def verify_platform(slug):
    call_command("verify_archive", "--platform", slug, stdout=StringIO())


def test_an_altered_text_is_named(history):
    _, _, versions = history
    Version.objects.filter(pk=versions[1].pk).update(text="# Terms\n\nClause 2, quietly edited.\n")
    with pytest.raises(CommandError) as caught:
        verify()
    message = str(caught.value)
    assert f"verify-me/privacy-policy version {versions[1].pk}" in message
    assert "stored text does not match" in message


def test_a_rehashed_text_still_breaks_the_chain(history):
    """Editing text and its sha256 together is caught by the chain hash."""
    _, _, versions = history
    from governance.text import text_sha256

    forged = "# Terms\n\nClause 2, forged.\n"
    Version.objects.filter(pk=versions[1].pk).update(text=forged, text_sha256=text_sha256(forged))
    with pytest.raises(CommandError, match=rf"version {versions[1].pk} .*chain hash"):
        verify()


def test_altered_snapshot_bytes_are_caught(history):
    _, snapshot, _ = history
    path = storages["snapshots"].path(snapshot.storage_name)
    with open(path, "wb") as handle:
        handle.write(b"tampered")
    try:
        with pytest.raises(CommandError, match=rf"snapshot {snapshot.pk} .*do not match"):
            verify()
    finally:
        storages["snapshots"].delete(snapshot.storage_name)


def test_a_broken_link_is_caught(history):
    """The constraints forbid forks; a link re-pointed to another document is still caught."""
    _, _, versions = history
    stranger = version_record(
        document=DocumentFactory(), text="# Other\n\nElsewhere.\n", captured_at=at(1)
    ).version
    Version.objects.filter(pk=versions[2].pk).update(previous=stranger)
    with pytest.raises(CommandError, match="chain from the first links"):
        verify()
