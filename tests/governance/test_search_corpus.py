"""Search over the real corpus (imported once per session, in tests/conftest.py).

Here rather than in tests/api/test_search.py: importing the corpus in the middle of
the API tests would leave it under the API test files that run after.
"""

from datetime import UTC, datetime

import pytest

from governance.models import Provision

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

SEARCH = "/api/v1/search/"


@pytest.fixture
def api(tier_client):
    return tier_client("professional")


def _search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _text(result) -> str:
    return "".join(fragment["text"] for fragment in result["highlight"])


def test_first_seen_of_a_phrase_added_to_an_existing_clause(imported_corpus, corpus_dir, api):
    """claude-ai privacy policy: the model-training clause ("We will not use your Inputs
    or Outputs to train our models, unless ...", captured 2025-08-01) was rewritten in
    the version captured 2025-08-29T00:32:02Z as "We may use your Inputs and Outputs to
    train our models ..., unless you opt out through your account settings".
    "account settings" appears nowhere in the versions of 2025-08-01 and 2025-08-16
    (corpus/claude-ai/privacy-policy/*.md, read by hand and checked below).
    """
    folder = corpus_dir / "claude-ai" / "privacy-policy"
    for earlier in ("2025-08-01T00-32-06Z.md", "2025-08-16T00-32-05Z.md"):
        assert "account settings" not in (folder / earlier).read_text()
    assert "through your account settings" in (folder / "2025-08-29T00-32-02Z.md").read_text()

    body = _search(api, '"your account settings"', platform="claude-ai", kind="privacy-policy")
    # One clause says it; its best wording is the latest ("... to train and improve
    # Anthropic AI models, unless you opt out through your account settings").
    (result,) = body["results"]
    assert "unless you opt out through your account settings" in _text(result)
    assert result["first_seen"] == "2025-08-29T00:32:02Z"
    assert result["in_force"] is True
    assert result["matching_versions"] == 11  # 2025-08-29 .. 2026-08-22, every version
    assert {"account", "settings"} <= {f["text"] for f in result["highlight"] if f["match"]}
    # The clause is older than the phrase: its lineage reaches back to the first version.
    captured_at, text = (
        Provision.objects.filter(lineage_id=result["lineage_id"])
        .order_by("version__captured_at")
        .values_list("version__captured_at", "text")
        .first()
    )
    assert captured_at == datetime(2025, 8, 1, 0, 32, 6, tzinfo=UTC)
    assert text.startswith("We will not use your Inputs or Outputs to train our models")


def test_chinese_terms_are_found_in_wenxinyiyan(imported_corpus, api):
    body = _search(api, "个人信息", platform="wenxinyiyan")
    assert body["mode"] == "substring" and body["count"] > 10
    assert {r["platform"]["slug"] for r in body["results"]} == {"wenxinyiyan"}
    for result in body["results"]:
        assert "个人信息" in [f["text"] for f in result["highlight"] if f["match"]]
