"""GET /api/v1/search/: every provision of every version, one result per clause lineage.

Runs on PostgreSQL (full-text search; substring search for Chinese) and on SQLite
(substring search everywhere); tests that need one behaviour say so.
"""

import pytest
from django.db import connection

from governance.models import Provision
from governance.services import version_record
from tests.api.conftest import PAGE_SIZES
from tests.factories import DocumentFactory, PlatformFactory, at

pytestmark = [pytest.mark.api, pytest.mark.django_db]

SEARCH = "/api/v1/search/"
POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(not POSTGRES, reason="full-text search is PostgreSQL's")

TRAINING = (
    "We use the conversations you have with the assistant to improve our services and "
    "products, and we keep them only as long as that needs"
)
# Five versions of one policy: the phrase "safety review" enters the training clause in
# version 3, stays in version 4 and leaves it in version 5.
POLICY_VERSIONS = [
    (1, f"{TRAINING}.", "We keep server logs for 30 days."),
    (2, f"{TRAINING}, as our policy explains.", "We keep server logs for 30 days."),
    (3, f"{TRAINING}, as our policy explains. Flagged chats get a safety review.",
     "We keep server logs for 30 days."),
    (4, f"{TRAINING}, as our policy explains. Flagged chats get a safety review.",
     "We keep server logs for 60 days."),
    (5, f"{TRAINING}, as our policy explains. Flagged chats get a human review.",
     "We keep server logs for 60 days."),
]
CHINESE = (  # Chinese punctuation on purpose: full-width commas.
    "我们会收集您在使用服务时主动提供的个人信息，以及因您使用服务而产生的信息，"  # noqa: RUF001
    "用于向您提供服务、保障账号安全和改进我们的产品。"
)


def _policy(training: str, retention: str) -> str:
    return (
        "# Privacy Policy\n\n## How we train\n\n" + training + "\n\n## Retention\n\n"
        + retention + "\n"
    )


@pytest.fixture
def corpus(db):
    """A policy of five versions, a terms document, a Chinese document, a retired platform."""
    platform = PlatformFactory(slug="search-co", name="Search Co")
    policy = DocumentFactory(platform=platform, kind="privacy-policy", title="Privacy Policy")
    versions = [
        version_record(document=policy, text=_policy(training, retention),
                       captured_at=at(day)).version
        for day, training, retention in POLICY_VERSIONS
    ]
    terms = DocumentFactory(platform=platform, kind="terms-of-service", title="Terms")
    telemetry = "".join(
        f"## Part {n}\n\nClause {n} about telemetry number {n}, kept on purpose.\n\n"
        for n in range(1, 8)
    )
    version_record(
        document=terms, captured_at=at(2),
        text="# Terms\n\nWe review every report we receive, for your safety.\n\n" + telemetry,
    )
    chinese = DocumentFactory(
        platform=PlatformFactory(slug="wenxin-test", name="文心测试"),
        kind="privacy-policy", title="隐私政策",
    )
    zh = version_record(document=chinese, captured_at=at(3),
                        text=f"# 隐私政策\n\n## 信息收集\n\n{CHINESE}\n").version
    retired = PlatformFactory(slug="gone-ai", name="Gone AI", retired_at=at(20))
    old = DocumentFactory(platform=retired, kind="privacy-policy", title="Old Policy")
    version_record(document=old, captured_at=at(1),
                   text="# Old\n\nEvery flagged chat gets a safety review by a person.\n")
    return {"versions": versions, "zh": zh}


def _search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _text(result) -> str:
    return "".join(fragment["text"] for fragment in result["highlight"])


def _matches(result) -> list[str]:
    return [fragment["text"].lower() for fragment in result["highlight"] if fragment["match"]]


def test_first_seen_is_the_version_that_added_the_phrase(api, corpus):
    body = _search(api, '"safety review"', platform="search-co")
    (result,) = body["results"]
    v3, v4 = corpus["versions"][2], corpus["versions"][3]
    assert result["first_seen"] == "2025-01-03T00:00:00Z"
    assert result["first_seen_version"].endswith(f"/api/v1/versions/{v3.pk}/")
    assert result["last_seen"] == "2025-01-04T00:00:00Z"
    assert result["last_seen_version"].endswith(f"/api/v1/versions/{v4.pk}/")
    assert result["matching_versions"] == 2
    # Removed in version 5: the document no longer says it.
    assert result["in_force"] is False
    # The clause itself is older than the phrase: one lineage since version 1.
    lineage = result["lineage_id"]
    assert Provision.objects.filter(lineage_id=lineage).count() == 5
    assert result["history_url"].endswith(f"/api/v1/provisions/{lineage}/history/")
    assert result["heading_path"] == ["Privacy Policy", "How we train"]
    assert result["platform"]["slug"] == "search-co"
    assert result["document"] == {
        "kind": "privacy-policy", "title": "Privacy Policy",
        "url": "http://testserver/api/v1/platforms/search-co/documents/privacy-policy/",
    }
    assert _matches(result) in (["safety", "review"], ["safety review"])
    assert "Flagged chats get a safety review." in _text(result)


def test_a_clause_still_said_today_is_in_force(api, corpus):
    body = _search(api, "purpose telemetry", platform="search-co")
    assert body["count"] == 7
    assert {r["in_force"] for r in body["results"]} == {True}
    # "human review" is in the latest version only.
    (human,) = _search(api, '"human review"')["results"]
    assert human["in_force"] is True and human["matching_versions"] == 1
    assert human["version"].endswith(f"/api/v1/versions/{corpus['versions'][4].pk}/")
    # "in force" and "first seen" read the archive through clause lineages: an analysis.
    assert "not a legal finding" in body["disclaimer"]


def test_one_result_per_lineage_whatever_the_number_of_versions(api, corpus):
    body = _search(api, "conversations assistant")
    (result,) = body["results"]
    assert body["count"] == 1
    assert result["matching_versions"] == 5
    assert result["first_seen"] == "2025-01-01T00:00:00Z"
    assert result["last_seen"] == "2025-01-05T00:00:00Z"
    assert result["in_force"] is True


def test_a_phrase_needs_its_words_together_in_order(api, corpus):
    phrase = _search(api, '"safety review"')["results"]
    words = _search(api, "safety review")["results"]
    assert {r["document"]["kind"] for r in phrase} == {"privacy-policy"}
    # "We review every report ..., for your safety." has both words, apart.
    assert {r["document"]["kind"] for r in words} == {"privacy-policy", "terms-of-service"}
    assert len(words) == len(phrase) + 1


def test_a_retired_platform_is_never_in_force(api, corpus):
    results = _search(api, '"safety review"', platform="gone-ai")["results"]
    (result,) = results
    assert result["matching_versions"] == 1 and result["in_force"] is False


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"in_force": "false"}, {"gone-ai", "search-co"}),
        ({"in_force": "true"}, set()),
        ({"platform": "gone-ai"}, {"gone-ai"}),
        ({"kind": "terms-of-service"}, set()),
        ({"since": "2025-01-02"}, {"search-co"}),
        ({"until": "2025-01-02"}, {"gone-ai"}),
        ({"since": "2025-01-03T00:00:00Z", "until": "2025-01-03T00:00:00Z"}, {"search-co"}),
    ],
)
def test_filters(api, corpus, params, expected):
    results = _search(api, '"safety review"', **params)["results"]
    assert {r["platform"]["slug"] for r in results} == expected


def test_or_and_exclusion(api, corpus):
    either = _search(api, '"human review" OR "server logs"')["results"]
    assert len(either) == 2
    without = _search(api, 'review -"human review"', platform="search-co")["results"]
    assert "human review" not in " ".join(_text(r) for r in without).lower()
    assert without and all(r["document"]["kind"] == "terms-of-service" or not r["in_force"]
                           for r in without)


def test_chinese_is_searched_as_a_substring(api, corpus):
    body = _search(api, "个人信息")
    assert body["mode"] == "substring"
    (result,) = body["results"]
    assert result["platform"] == {
        "slug": "wenxin-test", "name": "文心测试",
        "url": "http://testserver/api/v1/platforms/wenxin-test/",
    }
    assert result["first_seen_version"].endswith(f"/api/v1/versions/{corpus['zh'].pk}/")
    assert _matches(result) == ["个人信息"]
    assert _text(result) == CHINESE
    assert result["in_force"] is True
    # Two characters are enough, and a phrase is a substring too.
    assert _search(api, "账号")["count"] == 1
    assert _search(api, '"改进我们的产品"')["count"] == 1
    assert _search(api, "个人信息 -账号")["count"] == 0


def test_a_long_wording_is_shown_around_its_matches(api, db):
    document = DocumentFactory(platform__slug="long-co", kind="terms-of-service")
    filler = " ".join(f"word{n}" for n in range(200))
    version_record(document=document, captured_at=at(1),
                   text=f"# Terms\n\n{filler} the needle sentence {filler}.\n")
    (result,) = _search(api, "needle")["results"]
    text = _text(result)
    assert len(text) < 600
    assert text.startswith("… ") and text.endswith(" …")
    assert _matches(result) == ["needle"]


@only_postgres
def test_postgres_matches_word_forms_and_ranks(api, corpus):
    body = _search(api, "reviewed")
    assert body["mode"] == "fulltext"
    assert "ts_rank_cd" in body["method"]
    assert body["count"] >= 2  # review, reviews ... by stem
    ranks = [r["rank"] for r in body["results"]]
    assert ranks == sorted(ranks, reverse=True)


@only_postgres
def test_the_search_uses_the_indexes_of_migrations_0007_and_0008():
    constraints = connection.introspection.get_constraints(
        connection.cursor(), "governance_provision"
    )
    assert {"provision_search_vector_idx", "provision_text_cjk_trgm_idx"} <= set(constraints)
    assert "provision_text_trgm_idx" not in constraints  # the full one, dropped by 0008
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM governance_provision "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'data')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "provision_search_vector_idx" in plan


def test_pages_of_results(api, corpus):
    first = _search(api, "telemetry", page_size=5)
    assert first["count"] == 7 and len(first["results"]) == 5
    assert first["previous"] is None and "page=2" in first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert second["previous"] is not None and "page=" not in second["previous"]
    lineages = [r["lineage_id"] for r in first["results"] + second["results"]]
    assert len(set(lineages)) == 7
    beyond = _search(api, "telemetry", page_size=5, page=9)
    assert beyond["count"] == 7 and beyond["results"] == []


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_query_count_is_flat(api, corpus, page_size, django_assert_num_queries):
    # key, [PostgreSQL: the query checked,] the page of lineages, their wordings
    with django_assert_num_queries(4 if POSTGRES else 3):
        body = _search(api, "telemetry", page_size=page_size)
    assert len(body["results"]) == min(page_size, 7)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "a"}, "q"),
        ({"q": "  a  "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "da\x00ta"}, "q"),
        ({"q": "data\x07"}, "q"),
        ({"q": "&|!:*()"}, "q"),
        ({"q": '""'}, "q"),
        ({"q": "-data"}, "q"),
        ({"q": "data OR -privacy"}, "q"),
        ({"q": "data", "platform": "no-such-platform"}, "platform"),
        ({"q": "data", "platform": "not a slug"}, "platform"),
        ({"q": "data", "kind": "no-such-kind"}, "kind"),
        ({"q": "data", "in_force": "yes"}, "in_force"),
        ({"q": "data", "since": "last week"}, "since"),
        ({"q": "data", "until": "2025-02-30"}, "until"),
        ({"q": "data", "since": "2025-02-01", "until": "2025-01-01"}, "until"),
        ({"q": "data", "page": "0"}, "page"),
        ({"q": "data", "page": "two"}, "page"),
        ({"q": "data", "page_size": "201"}, "page_size"),
        ({"q": "data", "page_size": "0"}, "page_size"),
    ],
)
def test_bad_parameters_are_400_problems_naming_them(api, corpus, params, field):
    response = api.get(SEARCH, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@only_postgres
def test_stop_words_alone_are_a_400_saying_so(api, corpus):
    response = api.get(SEARCH, {"q": "the and of"})
    assert response.status_code == 400
    assert "too common" in response.json()["errors"]["q"][0]


@pytest.mark.parametrize(
    "q",
    ['"unbalanced quote', "safety & review | (x)", "it's", "a:* review!", "review))",
     "OR review", "review OR", "--review", '-"" review', "x" * 200,
     " ".join(["review"] * 40), "'; DROP TABLE governance_provision; --", "100% _wild_"],
)
def test_odd_queries_never_fail(api, corpus, q):
    response = api.get(SEARCH, {"q": q})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "q" in response.json()["errors"]
    assert Provision.objects.exists()


def test_like_wildcards_are_literal(api, corpus):
    # "%" and "_" are characters to find, not LIKE wildcards (substring search).
    assert _search(api, '"个人信息"')["count"] == 1
    assert _search(api, '"个人信_"')["count"] == 0
    assert _search(api, '"个人%以及"')["count"] == 0


def test_unknown_format_is_406(api, corpus):
    response = api.get(SEARCH, {"q": "review", "format": "xml"})
    assert response.status_code == 406


def test_free_plan_gets_403_naming_professional(tier_client, corpus):
    response = tier_client("free").get(SEARCH, {"q": "review"})
    assert response.status_code == 403
    body = response.json()
    assert "Professional" in body["detail"] and body["required_plan"] == "professional"


def test_anonymous_gets_401(anonymous, corpus):
    response = anonymous.get(SEARCH, {"q": "review"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_every_member_and_outsider_reads_the_same_archive(owner, teammate, outsider, corpus):
    bodies = [_search(p.client, '"safety review"') for p in (owner, teammate, outsider)]
    assert bodies[0]["count"] == 2
    assert bodies[0] == bodies[1] == bodies[2]
