"""GET /api/v1/versions/{id}/diff/: two versions of a document, provision by provision."""

import time

import pytest
from django.db import connection

from governance.models import Change, Provision, Version
from governance.services import version_record
from governance.text.diff import word_diff
from tests.factories import DocumentFactory, at

pytestmark = [pytest.mark.api, pytest.mark.django_db]

V1 = """# Privacy

## Data we collect

We collect your name and email address when you create an account.

We collect usage data & logs about how you use the service.

## Sharing

We share data with processors who act on our instructions.

We never sell your personal data to anyone.

## Retention

We keep chat logs for 30 days after you delete them.

Contact us at privacy@acme.example with any question.
"""

# Modified (30 -> 90 days), added (the <script> clause), removed (never sell), moved
# (the contact line, from Retention to the top of the first section).
V2 = """# Privacy

## Data we collect

Contact us at privacy@acme.example with any question.

We collect your name and email address when you create an account.

We collect usage data & logs about how you use the service.

## Sharing

We share data with processors who act on our instructions.

Cookies <script>alert(1)</script> & trackers are described in our cookie notice.

## Retention

We keep chat logs for 90 days after you delete them.
"""

V3 = V2.replace("name and email address", "name, email address and phone number")

ZH1 = """# 隐私政策

## 信息收集

我们会收集您的姓名和电子邮件地址，用于向您提供服务。

## 信息保存

我们将在您删除对话后保存您的对话记录三十天。
"""  # noqa: RUF001  a Chinese text has full-width commas
ZH2 = ZH1.replace("三十天", "九十天")


def url(version, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/versions/{version.pk}/diff/" + (f"?{query}" if query else "")


@pytest.fixture
def diffed(db):
    """A policy with three versions, a Chinese one (imported) with two, another document."""
    policy = DocumentFactory(platform__slug="acme-diff", platform__name="Acme Diff",
                             kind="privacy-policy", title="Privacy Policy")
    versions = [
        version_record(document=policy, text=text, captured_at=at(day)).version
        for day, text in ((1, V1), (2, V2), (3, V3))
    ]
    chinese = DocumentFactory(platform__slug="wenxin-diff", kind="privacy-policy",
                              title="隐私政策")
    zh = [
        version_record(document=chinese, text=text, captured_at=at(day),
                       origin=Version.Origin.IMPORT).version
        for day, text in ((1, ZH1), (2, ZH2))
    ]
    return {"policy": policy, "v": versions, "zh": zh}


def provisions(version) -> dict[int, Provision]:
    return {p.ordinal: p for p in Provision.objects.filter(version=version)}


def rebuilt(chunks, side: str) -> str:
    keep = {"old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    return "".join(chunk["text"] for chunk in chunks if chunk["op"] in keep)


def by_kind(body) -> dict[str, list[dict]]:
    kinds: dict[str, list[dict]] = {}
    for change in body["changes"]:
        kinds.setdefault(change["kind"], []).append(change)
    return kinds


# --- the diff itself ------------------------------------------------------------------


def test_default_against_is_the_predecessor(api, diffed):
    v1, v2, _ = diffed["v"]
    response = api.get(url(v2))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body)[:3] == ["from", "to", "requested"]
    assert body["from"]["id"] == v1.pk and body["to"]["id"] == v2.pk
    assert body["from"]["captured_at"] == "2025-01-01T00:00:00Z"
    assert body["from"]["platform"] == "acme-diff"
    assert body["from"]["document"] == "privacy-policy"
    assert body["to"]["url"].endswith(f"/api/v1/versions/{v2.pk}/")
    assert body["requested"] == {
        "version": v2.pk, "against": v1.pk, "against_default": True, "reversed": False,
    }
    assert body["consecutive"] is True
    assert body["granularity"] == "word" and body["language"] == "en"
    assert "not a legal finding" in body["disclaimer"]
    assert "governance.text.align" in body["method"]
    assert body["attribution"] is None  # captured by checks, not imported


def test_each_kind_of_change_with_stored_lineage_ids(api, diffed):
    v1, v2, _ = diffed["v"]
    body = api.get(url(v2)).json()
    kinds = by_kind(body)
    assert set(kinds) == {"modified", "added", "removed", "moved"}
    old, new = provisions(v1), provisions(v2)

    (modified,) = kinds["modified"]
    assert modified["heading_path_before"] == modified["heading_path_after"] == [
        "Privacy", "Retention"]
    assert {"op": "delete", "text": " 30"} in modified["diff"]
    assert {"op": "insert", "text": " 90"} in modified["diff"]
    assert modified["lineage_id"] == new[modified["new_ordinal"]].lineage_id
    assert modified["lineage_id"] == old[modified["old_ordinal"]].lineage_id

    (added,) = kinds["added"]
    assert added["old_ordinal"] is None and added["heading_path_before"] is None
    assert added["lineage_id"] == new[added["new_ordinal"]].lineage_id
    assert added["lineage_id_before"] is None
    assert added["diff"] == [{"op": "insert", "text": new[added["new_ordinal"]].text}]

    (removed,) = kinds["removed"]
    assert removed["new_ordinal"] is None and removed["heading_path_after"] is None
    assert removed["lineage_id"] == old[removed["old_ordinal"]].lineage_id
    assert removed["diff"] == [{"op": "delete", "text": "We never sell your personal data "
                                                        "to anyone."}]

    (moved,) = kinds["moved"]
    assert moved["heading_path_before"] == ["Privacy", "Retention"]
    assert moved["heading_path_after"] == ["Privacy", "Data we collect"]
    assert moved["diff"] == [{"op": "equal", "text": new[moved["new_ordinal"]].text}]
    # Every diff gives both texts back; unchanged provisions are left out.
    for change in body["changes"]:
        if change["old_ordinal"] is not None:
            assert rebuilt(change["diff"], "old") == old[change["old_ordinal"]].text
        if change["new_ordinal"] is not None:
            assert rebuilt(change["diff"], "new") == new[change["new_ordinal"]].text
    assert len(body["changes"]) == 4


def test_consecutive_pairs_carry_the_stored_change(api, diffed):
    v2 = diffed["v"][1]
    body = api.get(url(v2)).json()
    change = Change.objects.get(version=v2)
    assert body["counts"]["provisions_added"] == change.provisions_added == 1
    assert body["counts"]["provisions_removed"] == change.provisions_removed == 1
    assert body["counts"]["provisions_modified"] == change.provisions_modified
    assert body["counts"]["words_added"] == change.words_added
    summary = body["summary"]
    assert summary["title"] == change.title
    assert summary["significance"] == change.significance
    assert summary["significance_rule"] == change.significance_rule
    assert summary["method"] == change.method and summary["method"]
    assert summary["no_summary_reason"] == ""
    assert summary["flags"] == [
        {"category": f.category, "subject": f.subject, "direction": f.direction,
         "lineage_id": f.lineage_id, "heading_path": f.heading_path, "before": f.before,
         "after": f.after}
        for f in change.flags.order_by("position")
    ]


def test_against_may_be_older_or_newer_the_diff_runs_older_to_newer(api, diffed):
    v1, v2, _ = diffed["v"]
    default = api.get(url(v2)).json()
    forward = api.get(url(v2, against=v1.pk)).json()
    backward = api.get(url(v1, against=v2.pk)).json()
    assert forward["changes"] == default["changes"] == backward["changes"]
    assert forward["requested"]["against_default"] is False
    assert backward["from"]["id"] == v1.pk and backward["to"]["id"] == v2.pk
    assert backward["requested"] == {
        "version": v1.pk, "against": v2.pk, "against_default": False, "reversed": True,
    }
    assert backward["consecutive"] is True and backward["summary"] is not None


def test_a_non_consecutive_pair_is_aligned_directly(api, diffed):
    v1, _, v3 = diffed["v"]
    body = api.get(url(v3, against=v1.pk)).json()
    assert (body["from"]["id"], body["to"]["id"]) == (v1.pk, v3.pk)
    assert body["consecutive"] is False and body["summary"] is None
    kinds = by_kind(body)
    # v1 -> v3 holds both steps: the retention change and the phone number.
    assert len(kinds["modified"]) == 2
    texts = [rebuilt(change["diff"], "new") for change in kinds["modified"]]
    assert any("phone number" in text for text in texts)
    assert any("90 days" in text for text in texts)
    assert body["counts"]["provisions_modified"] == 2 and body["counts"]["provisions_added"] == 1
    new = provisions(v3)
    for change in body["changes"]:
        if change["new_ordinal"] is not None:
            assert change["lineage_id"] == new[change["new_ordinal"]].lineage_id


def test_chinese_is_diffed_character_by_character(api, diffed):
    zh2 = diffed["zh"][1]
    body = api.get(url(zh2)).json()
    assert body["language"] == "zh" and body["granularity"] == "character"
    (change,) = body["changes"]
    assert change["kind"] == "modified"
    assert {"op": "delete", "text": "三"} in change["diff"]
    assert {"op": "insert", "text": "九"} in change["diff"]
    assert rebuilt(change["diff"], "old").endswith("对话记录三十天。")
    assert "Open Terms Archive" in body["attribution"] and "ODC-BY 1.0" in body["attribution"]


def test_identical_texts_apart_in_time_have_no_changes(api, db):
    document = DocumentFactory(kind="terms-of-service")
    a, _, c = (
        version_record(document=document, text=text, captured_at=at(day)).version
        for day, text in ((1, "# T\n\nOne.\n"), (2, "# T\n\nTwo.\n"), (3, "# T\n\nOne.\n"))
    )
    body = api.get(url(c, against=a.pk)).json()
    assert body["changes"] == [] and body["counts"]["provisions_modified"] == 0
    assert api.get(url(c, against=a.pk, format="diff")).content == b""


# --- errors ---------------------------------------------------------------------------


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_the_first_version_has_nothing_to_diff_against(api, diffed):
    body = problem(api.get(url(diffed["v"][0])), 404)
    assert "first version: nothing to diff against; pass against=" in body["detail"]
    assert body["type"].endswith("/first-version")


@pytest.mark.parametrize("against", ["abc", "", "1.5", "-3", "%201"])
def test_against_must_be_an_integer(api, diffed, against):
    body = problem(api.get(url(diffed["v"][1], against=against)), 400)
    assert "against" in body["errors"]


@pytest.mark.parametrize("against", ["999999999", "99999999999999999999999"])
def test_an_unknown_against_is_a_404(api, diffed, against):
    body = problem(api.get(url(diffed["v"][1], against=against)), 404)
    assert "against" in body["detail"]


@pytest.mark.parametrize("pk", ["999999999", "abc", "-1", "0"])
def test_an_unknown_version_is_a_404(api, diffed, pk):
    problem(api.get(f"/api/v1/versions/{pk}/diff/"), 404)


def test_versions_of_different_documents_are_a_400(api, diffed):
    body = problem(api.get(url(diffed["v"][1], against=diffed["zh"][0].pk)), 400)
    assert "both must be versions of the same document" in body["detail"].lower()
    assert "against" in body["errors"]


def test_a_version_against_itself_is_a_400(api, diffed):
    v2 = diffed["v"][1]
    body = problem(api.get(url(v2, against=v2.pk)), 400)
    assert "against" in body["errors"]
    problem(api.get("/api/v1/versions/999999999/diff/?against=999999999"), 404)


@pytest.mark.parametrize("format_", ["html", "diff"])
def test_errors_stay_problems_whatever_the_format(api, diffed, format_):
    body = problem(api.get(url(diffed["v"][0], format=format_)), 404)
    assert body["status"] == 404
    problem(api.get(url(diffed["v"][1], against="x", format=format_)), 400)
    accept = {"html": "text/html", "diff": "text/x-diff"}[format_]
    problem(api.get(url(diffed["v"][0]), HTTP_ACCEPT=accept), 404)


@pytest.mark.parametrize("format_", ["html", "diff", "json"])
def test_options_answers_json_metadata_whatever_the_format(api, diffed, format_):
    response = api.options(url(diffed["v"][1], format=format_))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "text/html" in response.json()["renders"]


@pytest.mark.parametrize(
    ("params", "accept"), [({"format": "xml"}, None), ({"format": "txt"}, None),
                           ({}, "application/xml"), ({"format": "pdf"}, "text/html")],
)
def test_an_unknown_format_is_a_406_problem(api, diffed, params, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    body = problem(api.get(url(diffed["v"][1], **params), **headers), 406)
    if params:
        assert "diff, html, json" in body["detail"]


# --- outputs --------------------------------------------------------------------------


def test_unified_diff_of_the_whole_texts(api, diffed):
    v1, v2, _ = diffed["v"]
    for response in (api.get(url(v2, format="diff")),
                     api.get(url(v2), HTTP_ACCEPT="text/x-diff")):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/x-diff; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert lines[0] == "--- acme-diff/privacy-policy@2025-01-01T00:00:00Z"
        assert lines[1] == "+++ acme-diff/privacy-policy@2025-01-02T00:00:00Z"
        assert lines[2].startswith("@@ ")
        assert "-We keep chat logs for 30 days after you delete them." in lines
        assert "+We keep chat logs for 90 days after you delete them." in lines
        assert "+Cookies <script>alert(1)</script> & trackers are described in our " \
               "cookie notice." in lines
    # Asked from the newer version, it still runs older -> newer.
    reverse = api.get(url(v1, against=v2.pk, format="diff")).content.decode()
    assert reverse.startswith("--- acme-diff/privacy-policy@2025-01-01T00:00:00Z\n")


def test_html_redline_escapes_document_text(api, diffed):
    v2 = diffed["v"][1]
    for response in (api.get(url(v2, format="html")), api.get(url(v2), HTTP_ACCEPT="text/html")):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert response["Content-Security-Policy"] == (
            "default-src 'none'; style-src 'unsafe-inline'"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        page = response.content.decode()
        assert page.startswith("<!DOCTYPE html>")
        assert "<ins>Cookies &lt;script&gt;alert(1)&lt;/script&gt; &amp; trackers" in page
        assert "<script" not in page.lower()
        assert "<del> 30</del><ins> 90</ins>" in page
        for external in ("src=", "<link", "http://", "https://", "@import", "url("):
            assert external not in page
        assert "2025-01-01" in page and "2025-01-02" in page
        assert "Privacy Policy" in page
        assert "Privacy &rsaquo; Retention" in page  # the changed provisions' headings
        assert "not a legal finding" in page
        assert "ODC-BY" not in page  # nothing imported


def test_html_redline_of_imported_versions_credits_open_terms_archive(api, diffed):
    page = api.get(url(diffed["zh"][1], format="html")).content.decode()
    assert "Open Terms Archive" in page and "ODC-BY 1.0" in page
    assert "<del>三</del><ins>九</ins>" in page
    assert 'lang="zh"' in page


# --- gates and personas ---------------------------------------------------------------


def test_anonymous_callers_need_a_key(anonymous, diffed):
    body = problem(anonymous.get(url(diffed["v"][1])), 401)
    assert "Professional" in body["detail"]


def test_free_plans_are_told_which_plan_has_diffs(tier_client, diffed):
    body = problem(tier_client("free").get(url(diffed["v"][1])), 403)
    assert "Professional" in body["detail"]
    assert body["required_plan"] == "professional" and body["feature"] == "diffs"
    # Asking for another format changes nothing: still a problem.
    problem(tier_client("free").get(url(diffed["v"][1], format="html")), 403)


def test_enterprise_reads_diffs(tier_client, diffed):
    assert tier_client("enterprise").get(url(diffed["v"][1])).status_code == 200


def test_owner_teammate_and_outsider_read_the_same_diff(owner, teammate, outsider, diffed):
    bodies = [persona.client.get(url(diffed["v"][2], against=diffed["v"][0].pk)).json()
              for persona in (owner, teammate, outsider)]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["changes"]


# --- cost and caching -----------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 60])
def test_query_count_is_bounded_whatever_the_size(api, db, extra, django_assert_max_num_queries):
    document = DocumentFactory(kind="terms-of-service")
    filler = "".join(f"Clause number {n} says something of its own.\n\n" for n in range(extra))
    old = version_record(document=document, text=f"# T\n\n{filler}Keep 30 days.\n",
                         captured_at=at(1)).version
    new = version_record(document=document, text=f"# T\n\n{filler}Keep 90 days.\n",
                         captured_at=at(2)).version
    # key, the pair (with document, platform, change), flags, old and new provisions
    with django_assert_max_num_queries(5):
        assert api.get(url(new)).status_code == 200
    with django_assert_max_num_queries(5):  # the same pair asked the other way round
        assert api.get(url(old, against=new.pk, format="html")).status_code == 200
    with django_assert_max_num_queries(3):  # key, the pair, both texts
        assert api.get(url(new, format="diff")).status_code == 200


def test_a_non_consecutive_pair_needs_no_flags_query(api, diffed, django_assert_max_num_queries):
    v1, _, v3 = diffed["v"]
    with django_assert_max_num_queries(4):  # key, the pair, old and new provisions
        assert api.get(url(v3, against=v1.pk)).status_code == 200


def test_a_cached_body_costs_two_queries(api, diffed, django_assert_max_num_queries):
    v2 = diffed["v"][1]
    first = api.get(url(v2))
    with django_assert_max_num_queries(2):  # key, the pair (the ETag needs its hashes)
        again = api.get(url(v2))
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"


def test_a_cached_body_keeps_the_links_of_the_request(api, diffed):
    # DRF carries ?format= into the links it writes: a body made for ?format=json must
    # not be served to a caller who negotiated JSON by Accept (nor the other way round).
    v2 = diffed["v"][1]
    with_format = api.get(url(v2, format="json")).json()
    assert with_format["from"]["url"].endswith("?format=json")
    plain = api.get(url(v2), HTTP_ACCEPT="application/json").json()
    assert "format=" not in plain["from"]["url"]
    assert "format=" not in plain["to"]["url"]


def test_strong_etags_per_format_and_304(api, diffed):
    v2 = diffed["v"][1]
    etags = {}
    for output in ("json", "diff", "html"):
        response = api.get(url(v2, format=output))
        etag = response["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")
        assert response["Cache-Control"] == "private, max-age=31536000, immutable"
        assert {"Authorization", "Accept"} <= {v.strip() for v in response["Vary"].split(",")}
        again = api.get(url(v2, format=output), HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag
        assert again.content == b""
        etags[output] = etag
    assert len(set(etags.values())) == 3
    # Accept and ?format= name the same output, hence the same ETag.
    assert api.get(url(v2), HTTP_ACCEPT="text/html")["ETag"] == etags["html"]
    # Another pair, another tag; a stale tag gets the body.
    assert api.get(url(diffed["v"][2]))["ETag"] != etags["json"]
    assert api.get(url(v2), HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_rebuilt_change_makes_a_new_etag(api, diffed):
    v2 = diffed["v"][1]
    before = api.get(url(v2))
    Change.objects.filter(version=v2).update(title="Rewritten by a better summary")
    after = api.get(url(v2), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert after.json()["summary"]["title"] == "Rewritten by a better summary"


# --- the real corpus ------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_archive(request):
    """The imported corpus, on PostgreSQL only (on SQLite its import takes minutes).

    Session-scoped, as ``imported_corpus`` is: set up before any test's transaction,
    so that the import is not rolled back with the first test that uses it.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the corpus diff tests run on PostgreSQL")
    return request.getfixturevalue("imported_corpus")


def corpus_version(platform: str, kind: str, day: str) -> Version:
    return Version.objects.select_related("change").get(
        document__platform__slug=platform, document__kind=kind, captured_at__date=day,
    )


def timed(api, path: str, **headers):
    start = time.perf_counter()
    response = api.get(path, **headers)
    return response, time.perf_counter() - start


@pytest.mark.corpus
def test_corpus_microsoft_copilot_privacy_policy(api, corpus_archive):
    version = corpus_version("microsoft-copilot", "privacy-policy", "2026-02-20")
    response, seconds = timed(api, url(version))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["to"]["id"] == version.pk and body["from"]["id"] == version.previous_id
    assert body["consecutive"] is True and body["summary"] is not None
    assert "ODC-BY 1.0" in body["attribution"]
    # The capture that lost most of the text is flagged and not summarised.
    assert any(flag.startswith("suspect") for flag in body["to"]["anomalies"])
    assert body["summary"]["no_summary_reason"] == version.change.no_summary_reason != ""
    assert body["summary"]["title"] == ""
    change = version.change
    assert body["counts"]["provisions_modified"] == change.provisions_modified
    assert body["counts"]["provisions_added"] == change.provisions_added
    assert body["counts"]["provisions_removed"] == change.provisions_removed
    assert body["changes"]
    old, new = provisions(body["from"]["id"]), provisions(version)
    for entry in body["changes"]:
        if entry["old_ordinal"] is not None:
            assert rebuilt(entry["diff"], "old") == old[entry["old_ordinal"]].text or entry[
                "kind"] == "merged"
        if entry["new_ordinal"] is not None:
            assert rebuilt(entry["diff"], "new") == new[entry["new_ordinal"]].text or entry[
                "kind"] == "split"
    html, html_seconds = timed(api, url(version, format="html"))
    unified, unified_seconds = timed(api, url(version, format="diff"))
    assert html.status_code == unified.status_code == 200
    assert unified.content.startswith(b"--- microsoft-copilot/privacy-policy@")
    print(  # the measurements the endpoint's docs quote (pytest -s)
        f"\nmicrosoft-copilot 2026-02-20: json {len(response.content)} B {seconds:.2f} s, "
        f"html {len(html.content)} B {html_seconds:.2f} s, "
        f"diff {len(unified.content)} B {unified_seconds:.2f} s, "
        f"{len(body['changes'])} changes"
    )


@pytest.mark.corpus
def test_corpus_wenxinyiyan_is_diffed_by_character(api, corpus_archive):
    version = corpus_version("wenxinyiyan", "privacy-policy", "2024-08-14")
    body = api.get(url(version)).json()
    assert body["language"] == "zh" and body["granularity"] == "character"
    modified = [entry for entry in body["changes"] if entry["kind"] == "modified"]
    assert modified
    old, new = provisions(body["from"]["id"]), provisions(version)
    for entry in modified:
        before, after = old[entry["old_ordinal"]].text, new[entry["new_ordinal"]].text
        expected = word_diff(before, after, language="zh")
        assert [(chunk["op"], chunk["text"]) for chunk in entry["diff"]] == expected
    # The 2024-08-14 text adds account information to the personalisation clause: the
    # insertion is those characters alone, not the words around them.
    (entry,) = modified
    assert [chunk for chunk in entry["diff"] if chunk["op"] != "equal"] == [
        {"op": "insert", "text": "账号信息、"}
    ]


def test_default_against_skips_a_suspect_capture_like_the_change(tier_client):
    """After an error page, the default diff is the change: against the last good text."""
    document = DocumentFactory()
    text = "# Terms\n\n## Use\n\nYou may use the service.\n\n## Data\n\nWe keep logs for 30 days.\n"
    good = version_record(document=document, text=text, captured_at=at(1)).version
    version_record(document=document, text="# Terms\n\nAccess denied.\n", captured_at=at(2))
    back = version_record(
        document=document, text=text.replace("30 days", "90 days"), captured_at=at(3)
    ).version
    body = tier_client("professional").get(url(back)).json()
    assert body["from"]["id"] == good.pk
    assert body["requested"]["against_default"] is True
    assert body["summary"] is not None  # the stored change, measured against the same pair
    assert [change["kind"] for change in body["changes"]] == ["modified"]
