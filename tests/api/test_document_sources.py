"""GET .../documents/{kind}/sources/: a document's sources and their extraction rules history."""

import pytest

from governance.models import Source
from governance.reextraction import source_rules_set
from tests.factories import DocumentFactory, SourceFactory, at
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

SOURCES = "/api/v1/platforms/sources-site/documents/privacy-policy/sources/"


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def document(db):
    """Two current sources (the second with two rule changes) and one retired source."""
    document = DocumentFactory(platform__slug="sources-site")
    main = SourceFactory(document=document, url="https://sources.example/privacy",
                         position=0, valid_from=at(1), verified_at=at(2),
                         extraction_rules={"select": ["main"]})
    annex = SourceFactory(document=document, url="https://sources.example/annex", position=1)
    source_rules_set(source=annex, rules={"select": ["article"]}, valid_from=at(3),
                     note="the annex moved into <article>")
    source_rules_set(source=annex, rules={"select": ["article"], "remove": [".cookie-banner"]},
                     valid_from=at(10), note="drop the cookie banner")
    SourceFactory(document=document, url="https://old.example/privacy", position=0,
                  valid_from=at(1, hour=0), valid_until=at(1))
    return {"document": document, "main": main, "annex": Source.objects.get(pk=annex.pk)}


@pytest.fixture
def api(owner):
    assert owner.client.get("/api/v1/account/").status_code == 200  # first use recorded
    return owner.client


def test_sources_in_order_with_their_rules_history(api, document):
    response = api.get(SOURCES)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["platform"] == "sources-site" and body["kind"] == "privacy-policy"
    assert body["document_url"].endswith("/api/v1/platforms/sources-site/documents/privacy-policy/")
    main, annex, old = body["sources"]
    assert main == {
        "position": 0, "url": "https://sources.example/privacy", "current": True,
        "valid_from": iso(at(1)), "valid_until": None, "verified_at": iso(at(2)),
        "rules": {"select": ["main"]}, "rules_history": [],
    }
    assert annex["position"] == 1 and annex["current"] is True
    assert annex["rules"] == document["annex"].extraction_rules
    assert "cookie-banner" in str(annex["rules"])
    newest, first = annex["rules_history"]
    assert newest["valid_from"] == iso(at(10)) and newest["valid_until"] is None
    assert newest["current"] is True and newest["note"] == "drop the cookie banner"
    assert newest["rules"] == annex["rules"]
    assert first["valid_from"] == iso(at(3)) and first["valid_until"] == iso(at(10))
    assert first["current"] is False and first["note"] == "the annex moved into <article>"
    assert "cookie-banner" not in str(first["rules"])
    assert old["url"] == "https://old.example/privacy"
    assert old["current"] is False and old["valid_until"] == iso(at(1))


def test_anonymous_callers_read_the_sources_like_the_document(anonymous, document):
    response = anonymous.get(SOURCES)
    assert response.status_code == 200
    assert len(response.json()["sources"]) == 3


def test_owner_teammate_and_outsider_read_the_same_sources(owner, teammate, outsider, document):
    bodies = [persona.client.get(SOURCES) for persona in (owner, teammate, outsider)]
    assert [response.status_code for response in bodies] == [200, 200, 200]
    assert bodies[0].json() == bodies[1].json() == bodies[2].json()


def test_the_free_plan_reads_the_sources(tier_client, document):
    assert tier_client("free").get(SOURCES).status_code == 200


def test_a_document_without_sources(api, db):
    DocumentFactory(platform__slug="sources-site")
    assert api.get(SOURCES).json()["sources"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/platforms/no-such-site/documents/privacy-policy/sources/",
        "/api/v1/platforms/sources-site/documents/no-such-kind/sources/",
    ],
)
def test_an_unknown_platform_or_kind_is_a_404_problem(api, document, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "No Document" in response.json()["detail"]


def test_an_unknown_format_is_406(api, document):
    response = api.get(SOURCES, {"format": "xml"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


def test_a_bad_key_is_401_not_the_anonymous_answer(document):
    response = client_for("cw_live_nope_nope").get(SOURCES)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("more", [0, 8])
def test_the_query_count_does_not_grow_with_sources_or_rules(
    api, document, more, django_assert_num_queries
):
    for n in range(more):
        source = SourceFactory(document=document["document"], position=2 + n)
        source_rules_set(source=source, rules={"select": ["main"]}, valid_from=at(1))
        source_rules_set(source=source, rules={"select": ["article"]}, valid_from=at(2))
    with django_assert_num_queries(4):  # key, document with its platform, sources, rule sets
        response = api.get(SOURCES)
    assert len(response.json()["sources"]) == 3 + more
