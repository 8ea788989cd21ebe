"""One clause through time: /provisions/{lineage_id}/history/."""

import pytest

from governance.models import ChangeFlag, Provision
from governance.services import version_record
from tests.factories import DocumentFactory, PlatformFactory, at, organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

RIGHTS = "## Rights\n\nYou may opt out of training at any time.\n"
TEXTS = [
    # day 1
    "# Terms\n\n## Data\n\nWe keep your chats for 30 days after you delete them.\n\n" + RIGHTS,
    # day 2: another clause comes; the data clause stays as it was
    "# Terms\n\n## Data\n\nWe keep your chats for 30 days after you delete them.\n\n" + RIGHTS
    + "\n## Contact\n\nWrite to privacy@example.com with any question.\n",
    # day 3: the data clause changes
    "# Terms\n\n## Data\n\nWe keep your chats for 90 days after you delete them.\n\n" + RIGHTS
    + "\n## Contact\n\nWrite to privacy@example.com with any question.\n",
    # day 4: only the contact clause changes
    "# Terms\n\n## Data\n\nWe keep your chats for 90 days after you delete them.\n\n" + RIGHTS
    + "\n## Contact\n\nWrite to legal@example.com with any question you have.\n",
    # day 5: the data clause changes again
    "# Terms\n\n## Data\n\nWe keep your chats for 90 days after you delete them, and logs "
    "for 7 days.\n\n" + RIGHTS
    + "\n## Contact\n\nWrite to legal@example.com with any question you have.\n",
    # day 6: the data clause is gone
    "# Terms\n\n" + RIGHTS + "\n## Contact\n\nWrite to legal@example.com with any question "
    "you have.\n",
]


def _url(lineage_id: str) -> str:
    return f"/api/v1/provisions/{lineage_id}/history/"


def _lineage(version, heading: str) -> str:
    (provision,) = [p for p in version.provisions.all() if heading in p.heading_path]
    return provision.lineage_id


@pytest.fixture
def clauses(db):
    """Six versions of a document: its data clause has three wordings and is then dropped.

    The flag engine is being written: the changes' flags are replaced by one set on the
    day 3 change directly, as the engine stores it.
    """
    document = DocumentFactory(platform__slug="clause-test", kind="terms-of-service")
    versions = [
        version_record(document=document, text=text, captured_at=at(day)).version
        for day, text in enumerate(TEXTS, start=1)
    ]
    data = _lineage(versions[0], "Data")
    ChangeFlag.objects.filter(change__document=document).delete()
    ChangeFlag.objects.create(
        change=versions[2].change, position=0, category="number", subject="retention period",
        direction="changed", lineage_id=data, heading_path=["Terms", "Data"],
        before="30 days", after="90 days",
    )
    return {"versions": versions, "data": data, "rights": _lineage(versions[0], "Rights"),
            "contact": _lineage(versions[1], "Contact")}


def test_a_clause_changed_twice_then_dropped(api, clauses):
    v = clauses["versions"]
    # Alignment kept one lineage through both rewordings (governance.text.align).
    assert {_lineage(version, "Data") for version in v[:5]} == {clauses["data"]}
    body = api.get(_url(clauses["data"])).json()
    assert body["lineage_id"] == clauses["data"]
    assert (body["platform"], body["kind"]) == ("clause-test", "terms-of-service")
    assert body["document_url"].endswith(
        "/api/v1/platforms/clause-test/documents/terms-of-service/")
    assert body["first_seen"] == "2025-01-01T00:00:00Z"
    assert body["last_seen"] == "2025-01-05T00:00:00Z"
    assert body["removed_at"] == "2025-01-06T00:00:00Z"
    assert body["in_force"] is False and body["notice"] is None
    wordings = body["wordings"]
    assert [(w["from"][8:10], w["until"][8:10]) for w in wordings] == [
        ("01", "03"), ("03", "05"), ("05", "06")]
    assert [w["version_ids"] for w in wordings] == [
        [v[0].pk, v[1].pk], [v[2].pk, v[3].pk], [v[4].pk]]
    assert "30 days" in wordings[0]["text"] and "logs" in wordings[2]["text"]
    assert wordings[0]["heading_path"] == ["Terms", "Data"]
    assert wordings[0]["sha256"] != wordings[1]["sha256"]
    assert wordings[0]["until_version_url"].endswith(f"/api/v1/versions/{v[2].pk}/")
    assert wordings[2]["until_version_url"].endswith(f"/api/v1/versions/{v[5].pk}/")
    (flag,) = body["flags"]
    assert flag["version_id"] == v[2].pk and flag["captured_at"] == "2025-01-03T00:00:00Z"
    assert flag["change_url"].endswith(f"/api/v1/changes/{v[2].pk}/")
    assert (flag["category"], flag["before"], flag["after"]) == ("number", "30 days", "90 days")
    assert "not a legal finding" in body["disclaimer"]
    # Which provisions are "the same clause" is itself an analysis: it says how it was made.
    assert "lineage" in body["method"] and "align" in body["method"]


def test_a_clause_in_force(api, clauses):
    body = api.get(_url(clauses["rights"])).json()
    assert body["in_force"] is True and body["removed_at"] is None
    assert body["last_seen"] == "2025-01-06T00:00:00Z"
    (wording,) = body["wordings"]
    assert wording["from"] == "2025-01-01T00:00:00Z"
    assert wording["until"] is None and wording["until_version_url"] is None
    assert len(wording["version_ids"]) == 6
    assert body["flags"] == []


def test_a_clause_added_later_starts_there(api, clauses):
    body = api.get(_url(clauses["contact"])).json()
    assert body["first_seen"] == "2025-01-02T00:00:00Z"
    assert [(w["from"][8:10], w["until"]) for w in body["wordings"]] == [
        ("02", "2025-01-04T00:00:00Z"), ("04", None)]


def test_a_retired_platforms_clause_is_not_in_force(api, db):
    successor = PlatformFactory(slug="clause-new")
    old = PlatformFactory(slug="clause-old", name="Clause Old", retired_at=at(10),
                          successor=successor)
    document = DocumentFactory(platform=old, kind="privacy-policy")
    version = version_record(document=document, text="# P\n\nWe sell nothing.\n",
                             captured_at=at(1)).version
    body = api.get(_url(version.provisions.get().lineage_id)).json()
    assert body["in_force"] is False and body["removed_at"] is None
    assert body["last_seen"] == "2025-01-01T00:00:00Z"
    assert body["notice"] == "Clause Old was retired on 2025-01-10; its successor is clause-new."
    (wording,) = body["wordings"]
    assert wording["until"] == "2025-01-10T00:00:00Z"  # held until the retirement


@pytest.mark.parametrize(
    "lineage_id",
    ["0123456789abcdef0123", "nothex", "0123456789ABCDEF0123", "0123456789abcdef01234"],
)
def test_unknown_or_malformed_lineage_is_a_404_problem(api, clauses, lineage_id):
    response = api.get(_url(lineage_id))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_format_is_406(api, clauses):
    assert api.get(_url(clauses["data"]), {"format": "xml"}).status_code == 406


def test_personas_read_the_same_history(owner, teammate, outsider, anonymous, clauses):
    url = _url(clauses["data"])
    bodies = [persona.client.get(url).json() for persona in (owner, teammate, outsider)]
    assert bodies[0] == bodies[1] == bodies[2]
    refused = anonymous.get(url)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def test_free_plan_is_refused_naming_professional(clauses):
    _, _, secret = organization_with_key("free")
    response = client_for(secret).get(_url(clauses["data"]))
    assert response.status_code == 403
    assert response.json()["required_plan"] == "professional"
    assert "Professional plan" in response.json()["detail"]


@pytest.mark.parametrize("versions", [3, 40])
def test_query_count_does_not_grow_with_the_history(api, db, versions,
                                                    django_assert_num_queries):
    document = DocumentFactory(platform__slug="long-history")
    for day in range(1, versions + 1):
        version_record(
            document=document, captured_at=at(day),
            text=f"# P\n\nWe keep data {day} days.\n\n## Rights\n\nYou may opt out.\n",
        )
    lineage_id = Provision.objects.filter(version__document=document).first().lineage_id
    with django_assert_num_queries(3):  # key, the clause's provisions, its flags
        body = api.get(_url(lineage_id)).json()
    assert sum(len(w["version_ids"]) for w in body["wordings"]) == versions


def test_imported_history_carries_the_dataset_credit(tier_client):
    from governance.importing import ATTRIBUTION
    from governance.models import Provision, Version
    from governance.services import version_record
    from tests.factories import DocumentFactory, at

    document = DocumentFactory()
    version = version_record(
        document=document, text="# Terms\n\nWe keep logs for 30 days.\n", captured_at=at(1),
        origin=Version.Origin.IMPORT,
    ).version
    lineage_id = Provision.objects.filter(version=version).first().lineage_id
    body = tier_client("professional").get(f"/api/v1/provisions/{lineage_id}/history/").json()
    assert body["attribution"] == ATTRIBUTION
    detail = tier_client("professional").get(f"/api/v1/versions/{version.pk}/").json()
    assert detail["attribution"] == ATTRIBUTION
    assert {p["lineage_id"] for p in detail["provisions"]} >= {lineage_id}
