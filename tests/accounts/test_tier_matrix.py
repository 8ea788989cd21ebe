"""Who may call what: every API route and method against every kind of caller.

MATRIX is written out by hand, not computed: a change of a gate shows up as a
diff of this table. The second test walks the URL conf, so a new endpoint
without a row here (a gate nobody decided) fails CI.
"""

import json
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ApiKey, AuditEvent, Membership, Role
from accounts.services import api_key_create, api_key_revoke, member_add, user_get_or_create
from tests.accounts.helpers import key_of
from tests.factories import organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

# The archive's policy has versions captured at 00:00 UTC on 1..12 January 2025. On
# this day the free plan's 365 days of history reach back to 5 January 2025, 12:00:
# days 1-5 are beyond it, days 6-12 within it.
FROZEN = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

COLUMNS = ("anonymous", "free", "professional", "enterprise", "revoked", "expired")

# (route, method, case): expected status for each of COLUMNS. Keyed callers are their
# organisation's owner with every scope; each cell runs against a fresh organisation.
MATRIX = {
    # route, method, case                                 anon free  pro   ent   revk  expd
    ("api:provider-list", "GET", ""):                     (200, 200, 200, 200, 401, 401),
    ("api:provider-detail", "GET", ""):                   (200, 200, 200, 200, 401, 401),
    ("api:platform-list", "GET", ""):                     (200, 200, 200, 200, 401, 401),
    ("api:platform-detail", "GET", ""):                   (200, 200, 200, 200, 401, 401),
    ("api:document-list", "GET", ""):                     (200, 200, 200, 200, 401, 401),
    ("api:document-detail", "GET", ""):                   (200, 200, 200, 200, 401, 401),
    ("api:version-detail", "GET", "latest"):              (200, 200, 200, 200, 401, 401),
    ("api:version-detail", "GET", "past, within a year"): (401, 200, 200, 200, 401, 401),
    ("api:version-detail", "GET", "past, before a year"): (401, 403, 200, 200, 401, 401),
    ("api:version-diff", "GET", "latest"):                (401, 403, 200, 200, 401, 401),
    ("api:version-diff", "GET", "before a year"):         (401, 403, 200, 200, 401, 401),
    ("api:document-versions", "GET", ""):                 (401, 200, 200, 200, 401, 401),
    ("api:document-sources", "GET", ""):                  (200, 200, 200, 200, 401, 401),
    ("api:document-checks", "GET", ""):                   (401, 200, 200, 200, 401, 401),
    ("api:document-held-capture", "GET", ""):             (401, 200, 200, 200, 401, 401),
    ("api:document-as-of", "GET", "within a year"):       (401, 200, 200, 200, 401, 401),
    ("api:document-as-of", "GET", "before a year"):       (401, 403, 200, 200, 401, 401),
    ("api:snapshot-detail", "GET", "latest"):             (401, 200, 200, 200, 401, 401),
    ("api:snapshot-detail", "GET", "within a year"):      (401, 200, 200, 200, 401, 401),
    ("api:snapshot-detail", "GET", "before a year"):      (401, 403, 200, 200, 401, 401),
    ("api:platform-timeline", "GET", ""):                 (401, 403, 200, 200, 401, 401),
    ("api:document-timeline", "GET", ""):                 (401, 403, 200, 200, 401, 401),
    ("api:provision-history", "GET", ""):                 (401, 403, 200, 200, 401, 401),
    ("api:search", "GET", ""):                            (401, 403, 200, 200, 401, 401),
    ("api:change-list", "GET", ""):                       (401, 200, 200, 200, 401, 401),
    ("api:change-list", "GET", "analysis filter"):        (401, 403, 200, 200, 401, 401),
    ("api:change-detail", "GET", "within a year"):        (401, 200, 200, 200, 401, 401),
    ("api:change-detail", "GET", "before a year"):        (401, 403, 200, 200, 401, 401),
    ("api:account", "GET", ""):                           (401, 200, 200, 200, 401, 401),
    ("api:account", "DELETE", ""):                        (401, 202, 202, 202, 401, 401),
    ("api:api-key-list", "GET", ""):                      (401, 200, 200, 200, 401, 401),
    ("api:api-key-list", "POST", ""):                     (401, 201, 201, 201, 401, 401),
    ("api:api-key-detail", "DELETE", ""):                 (401, 200, 200, 200, 401, 401),
    ("api:member-list", "GET", ""):                       (401, 200, 200, 200, 401, 401),
    ("api:member-list", "POST", ""):                      (401, 201, 201, 201, 401, 401),
    ("api:member-detail", "DELETE", ""):                  (401, 204, 204, 204, 401, 401),
    ("api:audit-log", "GET", ""):                         (401, 200, 200, 200, 401, 401),
    ("api:monitoring-health", "GET", ""):                 (401, 403, 403, 200, 401, 401),
}

# Account routes by member persona, against the owner's organisation's objects:
# the owner (every scope), a teammate (member role, read-only key), a member whose
# key has every scope (the role still decides), and an outsider (another
# organisation's owner: lists and creates act on its own organisation only).
PERSONA_MATRIX = {
    # route, method                     owner teammate admin-member outsider
    ("api:account", "GET"):             (200, 200, 200, 200),
    ("api:api-key-list", "GET"):        (200, 200, 200, 200),
    ("api:api-key-list", "POST"):       (201, 403, 403, 201),
    ("api:api-key-detail", "DELETE"):   (200, 403, 403, 404),
    ("api:member-list", "GET"):         (200, 403, 403, 200),
    ("api:member-list", "POST"):        (201, 403, 403, 201),
    ("api:member-detail", "DELETE"):    (204, 403, 403, 404),
    ("api:audit-log", "GET"):           (200, 403, 403, 200),
    # Last: it revokes the caller's keys (the owner's, or the outsider's own).
    ("api:account", "DELETE"):          (202, 403, 403, 202),
}
PERSONAS = ("owner", "teammate", "admin-member", "outsider")

Action = AuditEvent.Action
_cells = count()


def _target(route: str, case: str, archive: dict | None, spare_key, spare_member):
    """(URL kwargs, query string, JSON body) of one row, aimed at real rows."""
    n = next(_cells)
    document = {"platform_slug": "acme-chat", "kind": "privacy-policy"}
    if route == "api:version-diff":  # against the predecessor: days 12/11, or 2/1
        versions = archive["versions"]
        return {"pk": (versions[-1] if case == "latest" else versions[1]).pk}, "", None
    if route in {"api:version-detail", "api:snapshot-detail"}:
        versions = archive["versions"]
        version = {"latest": versions[-1], "before a year": versions[1]}.get(
            case.removeprefix("past, "), versions[9]
        )
        if route == "api:version-detail":
            return {"pk": version.pk}, "", None
        return {"sha256": version.snapshots.get().sha256}, "", None
    if route == "api:change-detail":  # the change made by day 10's version, or day 2's
        version = archive["versions"][9 if case == "within a year" else 1]
        return {"version_id": version.pk}, "", None
    if route == "api:provision-history":
        provision = archive["versions"][-1].provisions.order_by("ordinal").last()
        return {"lineage_id": provision.lineage_id}, "", None
    return {
        "api:provider-detail": ({"slug": "acme-test"}, "", None),
        "api:platform-detail": ({"slug": "acme-chat"}, "", None),
        "api:document-list": ({"platform_slug": "acme-chat"}, "", None),
        "api:document-detail": (document, "", None),
        "api:document-versions": (document, "", None),
        "api:platform-timeline": ({"slug": "acme-chat"}, "", None),
        "api:document-timeline": (document, "", None),
        "api:change-list": ({}, "?significance=major" if case else "", None),
        "api:search": ({}, "?q=data", None),
        "api:document-sources": (document, "", None),
        "api:document-checks": (document, "", None),
        "api:document-held-capture": (document, "", None),
        "api:document-as-of": (
            document, "?as_of=" + ("2025-01-10" if case == "within a year" else "2025-01-03"),
            None,
        ),
        "api:api-key-list": ({}, "", {"name": f"matrix {n}", "scopes": ["read"]}),
        "api:api-key-detail": ({"pk": spare_key.pk}, "", None),
        "api:member-list": ({}, "", {"email": f"new{n}@example.com", "role": "member"}),
        "api:member-detail": ({"pk": spare_member.pk}, "", None),
    }.get(route, ({}, "", None))


def _call(client, route, method, case, archive, organization, *, remote_addr):
    """One request of the table against ``organization``'s objects (a spare key, a member)."""
    spare_key, _ = api_key_create(organization=organization, name="spare")
    spare_member = member_add(
        organization=organization, email=f"spare-{next(_cells)}@example.com", role="member"
    )
    kwargs, query, body = _target(route, case, archive, spare_key, spare_member)
    url = reverse(route, kwargs=kwargs) + query
    data = json.dumps(body) if body is not None else ""
    return client.generic(
        method, url, data, content_type="application/json", REMOTE_ADDR=remote_addr
    )


def _caller(column: str):
    """A client for a column, and the fresh organisation its cell acts on."""
    plan = column if column in {"free", "professional", "enterprise"} else "professional"
    organization, _, secret = organization_with_key(plan)
    if column == "anonymous":
        return client_for(None), organization
    if column == "revoked":
        api_key_revoke(key=key_of(secret))
    if column == "expired":
        ApiKey.objects.filter(pk=key_of(secret).pk).update(expires_at=FROZEN - timedelta(days=1))
    return client_for(secret), organization


@pytest.mark.parametrize("column", COLUMNS)
def test_tier_matrix(column, archive, time_machine):
    time_machine.move_to(FROZEN, tick=False)
    index = COLUMNS.index(column)
    actual, expected = {}, {}
    for n, ((route, method, case), codes) in enumerate(MATRIX.items()):
        client, organization = _caller(column)
        # Each cell from its own address: the anonymous per-IP limit is no factor here.
        response = _call(
            client, route, method, case, archive, organization, remote_addr=f"10.9.{index}.{n}"
        )
        actual[route, method, case] = response.status_code
        expected[route, method, case] = codes[index]
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", (route, method)
    assert actual == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix(persona, owner, teammate, outsider):
    """Member role and key scope on the account routes; another organisation sees 404."""
    index = PERSONAS.index(persona)
    actual, expected = {}, {}
    for n, ((route, method), codes) in enumerate(PERSONA_MATRIX.items()):
        client = {"owner": owner, "teammate": teammate, "outsider": outsider}.get(persona)
        client = client.client if client else _admin_member_client(owner.organization, n)
        response = _call(client, route, method, "", None, owner.organization,
                         remote_addr="10.8.0.1")
        actual[route, method] = response.status_code
        expected[route, method] = codes[index]
    assert actual == expected
    if persona != "owner":  # nobody but the owner changed the owner's organisation
        owner.organization.refresh_from_db()
        assert owner.organization.erase_after is None
        assert not ApiKey.objects.filter(
            organization=owner.organization, revoked_at__isnull=False
        ).exists()
        assert not AuditEvent.objects.filter(
            organization=owner.organization,
            action__in=[Action.KEY_REVOKED, Action.MEMBER_REMOVED, Action.DELETION_REQUESTED],
        ).exists()


def _admin_member_client(organization, n: int):
    """A plain member whose key has every scope: the role, not the key, says no."""
    user = user_get_or_create(email=f"admin-member-{n}@example.com")
    Membership.objects.create(organization=organization, user=user, role=Role.MEMBER)
    _, secret = api_key_create(
        organization=organization, name="member with admin scope",
        scopes=["read", "watch", "export", "admin"], created_by=user,
    )
    return client_for(secret)


# --- every route has a decision --------------------------------------------------------


def _api_routes() -> set[tuple[str, str]]:
    """(namespaced URL name, HTTP method) of every pattern under api/v1/."""
    found: set[tuple[str, str]] = set()

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
                continue
            assert isinstance(pattern, URLPattern)
            if not route.startswith("api/v1/"):
                continue
            assert pattern.name, f"api/v1 route {route!r} has no name"
            for method in _methods(pattern.callback):
                found.add((namespace + pattern.name, method))

    walk(get_resolver().url_patterns, "", "")
    return found


def _methods(callback) -> set[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset's .as_view({"get": "list", ...}), routers included
        # DRF answers HEAD with the GET action, so HEAD shares GET's row.
        return {method.upper() for method in actions} - {"HEAD"}
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return {"ANY"}  # a function view: its methods cannot be known, so decide them here
    return {
        method.upper() for method in view_class.http_method_names
        if method not in {"head", "options"} and hasattr(view_class, method)
    }


def test_every_api_route_and_method_has_a_row():
    routes = _api_routes()
    decided = {(route, method) for route, method, _ in MATRIX}
    assert routes, "no routes found under api/v1/"
    assert routes - decided == set(), "routes without a gate decision in MATRIX"
    assert decided - routes == set(), "stale MATRIX rows: no such route or method"
    account_routes = {(r, m) for r, m in routes if r.startswith(("api:account", "api:api-key",
                                                                  "api:member", "api:audit"))}
    assert account_routes == set(PERSONA_MATRIX)
