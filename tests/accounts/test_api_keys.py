"""/api/v1/account/api-keys/: create (the secret shown once), list, use, revoke."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import principal as principal_module
from accounts.keys import key_hash
from accounts.models import ApiKey, AuditEvent, IdempotencyRecord
from tests.accounts.helpers import assert_problem, key_of
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

KEYS = "/api/v1/account/api-keys/"
ACCOUNT = "/api/v1/account/"
Action = AuditEvent.Action


def create(persona, body=None, **headers):
    body = {"name": "CI reader", "scopes": ["read"]} if body is None else body
    return persona.client.post(KEYS, body, format="json", **headers)


# --- creating, listing, using ---------------------------------------------------------


def test_the_secret_is_shown_once_and_stored_only_as_a_keyed_hash(owner):
    response = create(owner, {"name": "CI", "scopes": ["export", "read", "read"]})
    assert response.status_code == 201
    body = response.json()
    secret = body["key"]
    assert secret.startswith("cw_live_") and secret.startswith(body["prefix"] + "_")
    assert body["scopes"] == ["export", "read"] and body["active"] is True
    key = ApiKey.objects.get(pk=body["id"])
    assert key.hashed != secret and secret not in key.hashed
    assert key.hashed == key_hash(secret, pepper=settings.API_KEY_PEPPER)
    assert key.created_by == owner.user

    listing = owner.client.get(KEYS)
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert body["prefix"] in [row["prefix"] for row in rows]
    assert secret not in listing.content.decode()
    assert all("key" not in row and "hashed" not in row for row in rows)


def test_the_list_is_newest_first_and_shows_revoked_keys(owner, time_machine):
    time_machine.move_to(timezone.now() + timedelta(seconds=1))  # after the owner's key
    first = create(owner, {"name": "first"}).json()
    time_machine.shift(1)
    second = create(owner, {"name": "second"}).json()
    owner.client.delete(f"{KEYS}{first['id']}/")
    rows = owner.client.get(KEYS).json()["results"]
    assert [row["name"] for row in rows] == ["second", "first", "owner key"]
    assert [row["active"] for row in rows] == [True, False, True]
    assert rows[0]["id"] == second["id"]


def test_a_new_key_works_at_once_with_its_scopes(owner):
    body = create(owner, {"name": "reader", "scopes": ["read"]}).json()
    reader = client_for(body["key"])
    account = reader.get(ACCOUNT)
    assert account.status_code == 200
    assert account.json()["api_key"] == {"prefix": body["prefix"], "scopes": ["read"]}
    # It acts as its creator (an owner) but only with its scopes: no admin, no new keys.
    problem = assert_problem(reader.post(KEYS, {"name": "x"}, format="json"), 403)
    assert "'admin' scope" in problem["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "scopes": ["read", "superuser"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": "read"}, "scopes"),
        ({"scopes": ["read"]}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "x", "expires_at": "next week"}, "expires_at"),
    ],
)
def test_invalid_fields_are_400_problems_naming_the_field(owner, body, field):
    problem = assert_problem(create(owner, body), 400)
    assert field in problem["errors"] and field in problem["detail"]
    assert ApiKey.objects.filter(organization=owner.organization).count() == 1


def test_an_expiry_in_the_past_is_refused(owner):
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    problem = assert_problem(create(owner, {"name": "x", "expires_at": past}), 400)
    assert "expires_at" in problem["errors"] and "future" in problem["detail"]
    assert ApiKey.objects.filter(organization=owner.organization).count() == 1


def test_a_key_works_until_it_expires(owner, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    expires = timezone.now() + timedelta(hours=1)
    body = create(owner, {"name": "temp", "expires_at": expires.isoformat()}).json()
    assert body["expires_at"] == expires.isoformat().replace("+00:00", "Z")
    temp = client_for(body["key"])
    assert temp.get(ACCOUNT).status_code == 200
    time_machine.shift(timedelta(hours=1))
    problem = assert_problem(temp.get(ACCOUNT), 401)
    assert "expired" in problem["detail"]


# --- revoking -------------------------------------------------------------------------


def test_a_revoked_key_stops_working_at_once(owner):
    body = create(owner).json()
    other = client_for(body["key"])
    assert other.get(ACCOUNT).status_code == 200
    response = owner.client.delete(f"{KEYS}{body['id']}/")
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["revoked_at"]
    problem = assert_problem(other.get(ACCOUNT), 401)
    assert "revoked" in problem["detail"]
    assert response.get("WWW-Authenticate") is None  # only the refused request says how
    assert other.get(ACCOUNT)["WWW-Authenticate"].startswith("Bearer")
    assert owner.client.get(ACCOUNT).status_code == 200  # the others are untouched


def test_revoking_twice_records_one_event(owner):
    body = create(owner).json()
    first = owner.client.delete(f"{KEYS}{body['id']}/")
    second = owner.client.delete(f"{KEYS}{body['id']}/")
    assert first.status_code == second.status_code == 200
    assert first.json()["revoked_at"] == second.json()["revoked_at"]
    events = AuditEvent.objects.filter(action=Action.KEY_REVOKED, target=body["prefix"])
    assert events.count() == 1
    event = events.get()
    assert event.actor_user == owner.user and event.actor_key == key_of(owner.secret)


def test_an_owner_may_revoke_the_key_in_use(owner):
    own = key_of(owner.secret)
    assert owner.client.delete(f"{KEYS}{own.pk}/").status_code == 200
    assert_problem(owner.client.get(ACCOUNT), 401)


def test_revoking_an_unknown_id_is_a_404_problem(owner):
    assert_problem(owner.client.delete(f"{KEYS}999999/"), 404)


# --- idempotent creation --------------------------------------------------------------


def test_a_retried_create_replays_the_first_answer_without_the_secret(owner):
    first = create(owner, HTTP_IDEMPOTENCY_KEY="ci-reader-1")
    again = create(owner, HTTP_IDEMPOTENCY_KEY="ci-reader-1")
    assert first.status_code == again.status_code == 201
    assert first.get("Idempotent-Replayed") is None
    assert again["Idempotent-Replayed"] == "true"
    secret = first.json()["key"]
    assert secret and again.json()["key"] is None
    assert again.json()["id"] == first.json()["id"]
    assert {k: v for k, v in again.json().items() if k != "key"} == {
        k: v for k, v in first.json().items() if k != "key"
    }
    assert ApiKey.objects.filter(organization=owner.organization).count() == 2
    assert AuditEvent.objects.filter(action=Action.KEY_CREATED, target=first.json()["prefix"]
                                     ).count() == 1
    # The secret is nowhere in the stored answers, not even its random part.
    stored = json.dumps(list(IdempotencyRecord.objects.values_list("body", flat=True)))
    assert secret not in stored and secret.rsplit("_", 1)[1] not in stored


def test_the_same_idempotency_key_with_another_body_is_a_422(owner):
    create(owner, {"name": "one"}, HTTP_IDEMPOTENCY_KEY="k-1")
    problem = assert_problem(create(owner, {"name": "two"}, HTTP_IDEMPOTENCY_KEY="k-1"), 422)
    assert "different request" in problem["detail"]
    assert ApiKey.objects.filter(organization=owner.organization, name="two").count() == 0


def test_a_failed_create_does_not_block_its_retry(owner):
    assert_problem(create(owner, {"name": ""}, HTTP_IDEMPOTENCY_KEY="k-2"), 400)
    response = create(owner, {"name": "fixed"}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 201 and response.json()["key"]


@pytest.mark.parametrize("key", ["x" * 256, " ", "tab\there"])
def test_a_malformed_idempotency_key_is_a_400_naming_the_header(owner, key):
    problem = assert_problem(create(owner, HTTP_IDEMPOTENCY_KEY=key), 400)
    assert "Idempotency-Key" in problem["errors"]


def test_idempotency_keys_are_per_organisation(owner, outsider):
    mine = create(owner, HTTP_IDEMPOTENCY_KEY="shared-key").json()
    theirs = create(outsider, HTTP_IDEMPOTENCY_KEY="shared-key")
    # Not a replay of the owner's answer: the outsider gets its own key, secret and all.
    assert theirs.status_code == 201 and theirs.get("Idempotent-Replayed") is None
    assert theirs.json()["id"] != mine["id"] and theirs.json()["key"]
    assert key_of(theirs.json()["key"]).organization == outsider.organization


# --- authentication: one answer for every wrong key ------------------------------------


def test_a_valid_prefix_with_a_wrong_secret_is_not_valid(owner, monkeypatch):
    compared = []
    real = principal_module.key_matches

    def spy(secret, hashed, *, pepper):
        compared.append(hashed)
        return real(secret, hashed, pepper=pepper)

    monkeypatch.setattr(principal_module, "key_matches", spy)
    prefix = key_of(owner.secret).prefix
    forged = f"{prefix}_{'A' * 43}"
    problem = assert_problem(client_for(forged).get(ACCOUNT), 401)
    assert problem["detail"] == "This API key is not valid."
    # The stored hash was compared (in constant time), not the prefix alone trusted.
    assert compared == [key_of(owner.secret).hashed]


@pytest.mark.parametrize(
    "secret", ["cw_live_00000000_" + "A" * 43, "cw_live_zzzzzzzz_abc", "nonsense", "cw_live_"]
)
def test_unknown_and_malformed_keys_are_not_valid(db, secret):
    problem = assert_problem(client_for(secret).get(ACCOUNT), 401)
    assert problem["detail"] == "This API key is not valid."


def test_two_keys_in_one_header_are_refused(owner):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {owner.secret} {owner.secret}")
    problem = assert_problem(client.get(ACCOUNT), 401)
    assert "exactly one key" in problem["detail"]


# --- personas: teammate and outsider ---------------------------------------------------


def test_a_teammate_lists_keys_but_cannot_create_or_revoke(owner, teammate):
    rows = teammate.client.get(KEYS).json()["results"]
    assert {row["name"] for row in rows} == {"owner key", "teammate"}
    assert owner.secret not in json.dumps(rows)
    problem = assert_problem(create(teammate), 403)
    assert "'admin' scope" in problem["detail"]
    own = key_of(owner.secret)
    assert_problem(teammate.client.delete(f"{KEYS}{own.pk}/"), 403)
    assert_problem(teammate.client.delete(f"{KEYS}{key_of(teammate.secret).pk}/"), 403)
    own.refresh_from_db()
    assert own.revoked_at is None
    assert ApiKey.objects.filter(organization=owner.organization).count() == 2


def test_an_outsider_never_sees_or_revokes_anothers_keys(owner, teammate, outsider):
    rows = outsider.client.get(KEYS).json()["results"]
    assert [row["prefix"] for row in rows] == [key_of(outsider.secret).prefix]
    for secret in (owner.secret, teammate.secret):
        key = key_of(secret)
        # Another organisation's key is "not found", exactly like a key that does not exist.
        problem = assert_problem(outsider.client.delete(f"{KEYS}{key.pk}/"), 404)
        assert key.prefix not in problem["detail"]
        key.refresh_from_db()
        assert key.revoked_at is None
    assert not AuditEvent.objects.filter(
        organization=owner.organization, action=Action.KEY_REVOKED
    ).exists()
    assert owner.client.get(ACCOUNT).status_code == 200
    assert teammate.client.get(ACCOUNT).status_code == 200


def test_a_key_cannot_mint_a_more_powerful_key(owner):
    from accounts.models import ApiKey
    from accounts.services import AccountError, api_key_create

    reader = ApiKey.objects.filter(organization=owner.organization).first()
    reader.scopes = ["admin", "read"]
    with pytest.raises(AccountError, match="cannot grant scopes it does not have"):
        api_key_create(organization=owner.organization, name="x", scopes=["export"],
                       actor_key=reader)


def test_idempotency_answers_are_forgotten_after_a_day(owner):
    import time_machine

    from accounts.models import IdempotencyRecord
    from accounts.services import idempotency_records_prune

    IdempotencyRecord.objects.create(organization=owner.organization, key="k", method_path="POST /",
                                     fingerprint="f", status_code=201, body={})
    assert idempotency_records_prune() == 0
    with time_machine.travel(timezone_now_plus(hours=25)):
        assert idempotency_records_prune() == 1


def timezone_now_plus(**delta):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(**delta)
