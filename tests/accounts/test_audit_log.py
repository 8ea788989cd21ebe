"""/api/v1/account/audit-log/: the organisation's security events, newest first (owners)."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent
from accounts.services import audit_record
from tests.accounts.helpers import assert_problem, key_of
from tests.api.conftest import PAGE_SIZES, walk

pytestmark = [pytest.mark.api, pytest.mark.django_db]

AUDIT = "/api/v1/account/audit-log/"
KEYS = "/api/v1/account/api-keys/"
MEMBERS = "/api/v1/account/members/"
Action = AuditEvent.Action
START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _start(time_machine):
    """Frozen from the start, before the personas (and their events) are made."""
    time_machine.move_to(START, tick=False)


@pytest.fixture
def history(owner, teammate, time_machine):
    """One of every kind of event in the owner's organisation, a second apart."""
    client = owner.client

    def step():
        time_machine.shift(timedelta(seconds=1))

    step()
    client.get("/api/v1/providers/", REMOTE_ADDR="192.0.2.10")  # first use: a new address
    step()
    client.get("/api/v1/providers/", REMOTE_ADDR="192.0.2.10")  # same address: nothing
    step()
    client.get("/api/v1/providers/", REMOTE_ADDR="127.0.0.1")  # another address
    step()
    key = client.post(KEYS, {"name": "ci"}, format="json", REMOTE_ADDR="127.0.0.1").json()
    step()
    client.delete(f"{KEYS}{key['id']}/", REMOTE_ADDR="127.0.0.1")
    step()
    member = client.post(MEMBERS, {"email": "new@example.com"}, format="json",
                         REMOTE_ADDR="127.0.0.1").json()
    step()
    client.delete(f"{MEMBERS}{member['id']}/", REMOTE_ADDR="127.0.0.1")
    step()
    call_command("create_organization", "Owner Org", "--plan", "enterprise",
                 "--owner", owner.user.email, stdout=StringIO())
    step()
    return {"key": key, "member": member}


# Oldest first: the fixtures' own events, then those of ``history``.
EXPECTED = [
    Action.ORGANIZATION_CREATED,
    Action.KEY_CREATED,  # the owner's key (tests.factories)
    Action.KEY_CREATED,  # the teammate's key (tests.personas)
    Action.KEY_USED_FROM_NEW_IP,
    Action.KEY_USED_FROM_NEW_IP,
    Action.KEY_CREATED,
    Action.KEY_REVOKED,
    Action.MEMBER_ADDED,
    Action.MEMBER_REMOVED,
    Action.PLAN_CHANGED,
    Action.KEY_CREATED,  # the command prints a new key
]


def test_the_owner_reads_every_event_newest_first(owner, history):
    rows, pages = walk(owner.client, AUDIT, page_size=5, REMOTE_ADDR="127.0.0.1")
    assert pages == 3
    assert [row["action"] for row in rows] == list(reversed(EXPECTED))
    times = [row["created_at"] for row in rows]
    assert times == sorted(times, reverse=True)

    by_action = {}
    for row in reversed(rows):
        by_action.setdefault(row["action"], []).append(row)
    prefix = key_of(owner.secret).prefix
    first_use, moved = by_action[Action.KEY_USED_FROM_NEW_IP]
    assert (first_use["ip"], first_use["details"]) == ("192.0.2.10", {"previous_ip": None})
    assert (moved["ip"], moved["details"]) == ("127.0.0.1", {"previous_ip": "192.0.2.10"})
    assert moved["actor"] == {"user": None, "api_key": prefix} and moved["target"] == prefix
    created = by_action[Action.KEY_CREATED][2]
    assert created["target"] == history["key"]["prefix"]
    assert created["actor"] == {"user": owner.user.email, "api_key": prefix}
    assert created["details"] == {"name": "ci", "scopes": ["read"]}
    assert by_action[Action.KEY_REVOKED][0]["target"] == history["key"]["prefix"]
    added, removed = by_action[Action.MEMBER_ADDED][0], by_action[Action.MEMBER_REMOVED][0]
    assert added["target"] == removed["target"] == "new@example.com"
    assert added["ip"] == removed["ip"] == "127.0.0.1"
    (plan,) = by_action[Action.PLAN_CHANGED]
    assert plan["details"] == {"from": "professional", "to": "enterprise"}
    assert plan["target"] == owner.organization.slug


def test_pages_stay_complete_when_events_share_an_instant(owner):
    for n in range(12):
        audit_record(organization=owner.organization, action=Action.MEMBER_ADDED, target=str(n))
    rows, pages = walk(owner.client, AUDIT, page_size=5)
    targets = [row["target"] for row in rows if row["action"] == Action.MEMBER_ADDED]
    assert targets == [str(n) for n in reversed(range(12))]
    assert pages == 3 and len({row["id"] for row in rows}) == len(rows)


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_the_query_count_does_not_grow_with_the_page(
    owner, history, page_size, django_assert_num_queries
):
    for n in range(60):
        audit_record(organization=owner.organization, action=Action.MEMBER_ADDED,
                     actor_user=owner.user, actor_key=key_of(owner.secret), target=str(n))
    owner.client.get(AUDIT, REMOTE_ADDR="127.0.0.1")  # the key's use is recorded already
    with django_assert_num_queries(2):  # the key (with its creator's role), the page
        response = owner.client.get(AUDIT, {"page_size": page_size}, REMOTE_ADDR="127.0.0.1")
    assert len(response.json()["results"]) == page_size
    assert all(row["actor"]["user"] == owner.user.email for row in response.json()["results"])


def test_events_are_append_only(owner):
    event = AuditEvent.objects.filter(organization=owner.organization).first()
    event.details = {"forged": True}
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).details != {"forged": True}


def test_a_teammate_may_not_read_the_log(owner, teammate):
    problem = assert_problem(teammate.client.get(AUDIT), 403)
    assert problem["detail"] == "Only an organisation owner may do this."


def test_an_outsider_reads_only_its_own_events(owner, teammate, outsider, history):
    rows, _ = walk(outsider.client, AUDIT)
    assert {row["action"] for row in rows} <= {
        Action.ORGANIZATION_CREATED, Action.KEY_CREATED, Action.KEY_USED_FROM_NEW_IP
    }
    ids = {row["id"] for row in rows}
    assert ids == set(
        AuditEvent.objects.filter(organization=outsider.organization).values_list("id", flat=True)
    )
    assert not ids & set(
        AuditEvent.objects.filter(organization=owner.organization).values_list("id", flat=True)
    )
    assert owner.user.email not in str(rows) and "new@example.com" not in str(rows)


def test_anonymous_callers_get_a_401(anonymous):
    assert_problem(anonymous.get(AUDIT), 401)
