"""/api/v1/account/members/: owners list, add and remove the organisation's members."""

import pytest

from accounts.models import ApiKey, AuditEvent, Membership, Role
from accounts.services import api_key_create, user_get_or_create
from tests.accounts.helpers import assert_problem, key_of
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

MEMBERS = "/api/v1/account/members/"
ACCOUNT = "/api/v1/account/"
Action = AuditEvent.Action


def membership(persona) -> Membership:
    return Membership.objects.get(organization=persona.organization, user=persona.user)


def test_the_owner_lists_members_oldest_first(owner, teammate):
    response = owner.client.get(MEMBERS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["email"], row["role"]) for row in rows] == [
        (owner.user.email, "owner"), ("teammate@example.com", "member")
    ]
    assert set(rows[0]) == {"id", "email", "role", "created_at"}


def test_the_owner_adds_a_member(owner):
    response = owner.client.post(
        MEMBERS, {"email": "Analyst@Example.com", "role": "analyst"}, format="json",
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"]) == ("analyst@example.com", "analyst")
    added = Membership.objects.get(pk=body["id"])
    assert added.organization == owner.organization and added.role == Role.ANALYST
    event = AuditEvent.objects.get(organization=owner.organization, action=Action.MEMBER_ADDED)
    assert (event.target, event.details) == ("analyst@example.com", {"role": "analyst"})
    assert event.actor_user == owner.user and event.actor_key == key_of(owner.secret)
    assert event.ip == "198.51.100.4"


def test_the_role_defaults_to_member(owner):
    body = owner.client.post(MEMBERS, {"email": "reader@example.com"}, format="json").json()
    assert body["role"] == "member"


def test_a_retried_add_replays_the_first_answer(owner):
    payload = {"email": "retry@example.com"}
    first = owner.client.post(MEMBERS, payload, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    again = owner.client.post(MEMBERS, payload, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action=Action.MEMBER_ADDED).count() == 1


def test_adding_an_existing_member_is_a_400(owner, teammate):
    response = owner.client.post(MEMBERS, {"email": "TEAMMATE@example.com"}, format="json")
    problem = assert_problem(response, 400)
    assert problem["detail"] == "teammate@example.com is already a member"
    assert Membership.objects.filter(organization=owner.organization).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "not-an-email"}, "email"), ({"email": "a@example.com", "role": "admin"}, "role"),
     ({}, "email")],
)
def test_invalid_fields_are_400_problems_naming_the_field(owner, body, field):
    problem = assert_problem(owner.client.post(MEMBERS, body, format="json"), 400)
    assert field in problem["errors"]


def test_the_owner_removes_a_member_and_their_keys_stop_working(owner, teammate):
    assert teammate.client.get(ACCOUNT).status_code == 200
    response = owner.client.delete(f"{MEMBERS}{membership(teammate).pk}/")
    assert response.status_code == 204 and response.content == b""
    assert not Membership.objects.filter(user=teammate.user).exists()
    event = AuditEvent.objects.get(organization=owner.organization, action=Action.MEMBER_REMOVED)
    assert event.target == "teammate@example.com" and event.actor_user == owner.user
    # Someone who left keeps no access through the keys they made.
    assert key_of(teammate.secret).revoked_at is not None
    assert AuditEvent.objects.filter(
        action=Action.KEY_REVOKED, target=key_of(teammate.secret).prefix
    ).count() == 1
    assert_problem(teammate.client.get(ACCOUNT), 401)
    assert owner.client.get(ACCOUNT).status_code == 200


def test_a_key_of_someone_no_longer_a_member_is_refused(owner):
    """However the membership went (the admin, a cascade), the key goes with it."""
    user = user_get_or_create(email="gone@example.com")
    Membership.objects.create(organization=owner.organization, user=user, role=Role.OWNER)
    _, secret = api_key_create(organization=owner.organization, name="gone", created_by=user)
    assert client_for(secret).get(ACCOUNT).status_code == 200
    Membership.objects.filter(user=user).delete()
    problem = assert_problem(client_for(secret).get(ACCOUNT), 401)
    assert "no longer a member" in problem["detail"]


def test_removing_the_last_owner_is_a_400(owner, teammate):
    response = owner.client.delete(f"{MEMBERS}{membership(owner).pk}/")
    problem = assert_problem(response, 400)
    assert problem["detail"] == "an organisation keeps at least one owner; add another first"
    assert membership(owner).role == Role.OWNER
    assert not AuditEvent.objects.filter(action=Action.MEMBER_REMOVED).exists()


def test_an_owner_may_leave_once_there_is_another(owner):
    owner.client.post(MEMBERS, {"email": "second@example.com", "role": "owner"}, format="json")
    assert owner.client.delete(f"{MEMBERS}{membership(owner).pk}/").status_code == 204
    assert_problem(owner.client.get(ACCOUNT), 401)  # their own key left with them
    assert list(
        Membership.objects.filter(organization=owner.organization).values_list("role", flat=True)
    ) == ["owner"]


def test_a_teammate_may_not_list_add_or_remove(owner, teammate):
    problem = assert_problem(teammate.client.get(MEMBERS), 403)
    assert problem["detail"] == "Only an organisation owner may do this."
    assert_problem(teammate.client.post(MEMBERS, {"email": "x@example.com"}, format="json"), 403)
    assert_problem(teammate.client.delete(f"{MEMBERS}{membership(owner).pk}/"), 403)
    assert_problem(teammate.client.delete(f"{MEMBERS}{membership(teammate).pk}/"), 403)
    assert Membership.objects.filter(organization=owner.organization).count() == 2


def test_a_member_key_with_admin_scope_is_still_not_an_owner(owner, teammate):
    _, secret = api_key_create(
        organization=owner.organization, name="broad", scopes=["read", "admin"],
        created_by=teammate.user,
    )
    response = client_for(secret).post(MEMBERS, {"email": "x@example.com"}, format="json")
    assert assert_problem(response, 403)["detail"] == "Only an organisation owner may do this."


def test_a_demoted_owner_is_demoted_on_every_key(owner, teammate):
    second = user_get_or_create(email="second@example.com")
    Membership.objects.create(organization=owner.organization, user=second, role=Role.OWNER)
    _, secret = api_key_create(organization=owner.organization, name="k", created_by=second,
                               scopes=["read", "admin"])
    assert client_for(secret).get(MEMBERS).status_code == 200
    Membership.objects.filter(user=second).update(role=Role.MEMBER)
    assert_problem(client_for(secret).get(MEMBERS), 403)


def test_an_outsider_cannot_touch_another_organisations_members(owner, teammate, outsider):
    rows = outsider.client.get(MEMBERS).json()["results"]
    assert [row["email"] for row in rows] == [outsider.user.email]
    for target in (membership(owner), membership(teammate)):
        assert_problem(outsider.client.delete(f"{MEMBERS}{target.pk}/"), 404)
    # Adding someone adds them to the outsider's own organisation, never the owner's.
    response = outsider.client.post(MEMBERS, {"email": "spy@example.com"}, format="json")
    assert response.status_code == 201
    assert Membership.objects.get(pk=response.json()["id"]).organization == outsider.organization
    assert Membership.objects.filter(organization=owner.organization).count() == 2
    assert not AuditEvent.objects.filter(
        organization=owner.organization, action__in=[Action.MEMBER_ADDED, Action.MEMBER_REMOVED]
    ).exists()
    assert ApiKey.objects.filter(organization=owner.organization, revoked_at__isnull=True
                                 ).count() == 2
