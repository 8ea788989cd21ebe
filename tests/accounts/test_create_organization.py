"""manage.py create_organization: an organisation, its owner and a key printed once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiKey, AuditEvent, Membership, Organization, Role
from tests.accounts.helpers import actions, key_of
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

Action = AuditEvent.Action


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_creates_an_organisation_its_owner_and_a_usable_key():
    lines = run("Acme Legal", "--plan", "professional", "--owner", "Counsel@Acme.example")
    assert lines[0] == "created organisation 'acme-legal' on professional"
    secret = lines[-1]
    assert secret.startswith("cw_live_")
    organization = Organization.objects.get(slug="acme-legal")
    assert organization.plan == "professional"
    (membership,) = Membership.objects.filter(organization=organization)
    assert (membership.user.email, membership.role) == ("counsel@acme.example", Role.OWNER)
    key = key_of(secret)
    assert key.created_by == membership.user and key.hashed != secret
    assert key.scopes == ["admin", "export", "read", "watch"]
    assert actions(organization) == [Action.ORGANIZATION_CREATED, Action.KEY_CREATED]
    body = client_for(secret).get("/api/v1/account/").json()
    assert (body["organization"]["slug"], body["role"], body["plan"]["slug"]) == (
        "acme-legal", "owner", "professional"
    )


def test_the_default_plan_is_free():
    run("Small Shop", "--owner", "me@shop.example")
    assert Organization.objects.get(slug="small-shop").plan == "free"


def test_running_again_changes_the_plan_and_prints_a_new_key():
    first = run("Acme Legal", "--plan", "free", "--owner", "counsel@acme.example")[-1]
    lines = run("Acme Legal", "--plan", "enterprise", "--owner", "counsel@acme.example")
    assert lines[0] == "organisation 'acme-legal' is now on enterprise"
    second = lines[-1]
    assert second.startswith("cw_live_") and second != first
    organization = Organization.objects.get(slug="acme-legal")
    assert organization.plan == "enterprise"
    assert Organization.objects.count() == 1
    event = AuditEvent.objects.get(organization=organization, action=Action.PLAN_CHANGED)
    assert event.details == {"from": "free", "to": "enterprise"}
    # Both keys work: the old one was not revoked, and both now act on enterprise.
    for secret in (first, second):
        assert client_for(secret).get("/api/v1/account/").json()["plan"]["slug"] == "enterprise"


def test_the_same_plan_again_records_no_plan_change():
    run("Acme Legal", "--plan", "free", "--owner", "counsel@acme.example")
    run("Acme Legal", "--plan", "free", "--owner", "counsel@acme.example")
    assert not AuditEvent.objects.filter(action=Action.PLAN_CHANGED).exists()
    assert ApiKey.objects.count() == 2


def test_if_missing_leaves_an_existing_organisation_alone():
    run("Acme Legal", "--plan", "free", "--owner", "counsel@acme.example")
    lines = run("Acme Legal", "--plan", "enterprise", "--owner", "counsel@acme.example",
                "--if-missing")
    assert lines == [
        "organisation 'acme-legal' exists already (free); its key was printed when it was "
        "created"
    ]
    assert not any(line.startswith("cw_live_") for line in lines)
    assert Organization.objects.get(slug="acme-legal").plan == "free"
    assert ApiKey.objects.count() == 1


def test_if_missing_creates_a_missing_organisation():
    lines = run("Fresh", "--owner", "x@fresh.example", "--if-missing")
    assert lines[-1].startswith("cw_live_")


def test_an_unknown_plan_is_a_command_error():
    with pytest.raises(CommandError, match="invalid choice: 'platinum'"):
        run("Acme Legal", "--plan", "platinum", "--owner", "counsel@acme.example")
    assert not Organization.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "  "])
def test_a_bad_email_is_a_command_error(email):
    with pytest.raises(CommandError, match="is not an email address"):
        run("Acme Legal", "--owner", email)
    assert not Organization.objects.exists()


def test_a_bad_email_changes_nothing_on_an_existing_organisation():
    run("Acme Legal", "--plan", "free", "--owner", "counsel@acme.example")
    with pytest.raises(CommandError):
        run("Acme Legal", "--plan", "enterprise", "--owner", "oops")
    assert Organization.objects.get(slug="acme-legal").plan == "free"
    assert not AuditEvent.objects.filter(action=Action.PLAN_CHANGED).exists()


def test_the_owner_option_is_required():
    with pytest.raises(CommandError, match="--owner"):
        run("Acme Legal")


# --- personas: the command never hands one organisation's access to another person -----


def test_it_does_not_make_someone_else_an_owner_of_an_existing_organisation(owner, teammate):
    """A name clash (two customers both called "Owner Org") must not join them."""
    for email in ("stranger@example.com", teammate.user.email):
        with pytest.raises(CommandError, match="not an owner of 'owner-org'"):
            run("Owner Org", "--plan", "enterprise", "--owner", email)
    owner.organization.refresh_from_db()
    assert owner.organization.plan == "professional"
    assert list(
        Membership.objects.filter(organization=owner.organization)
        .order_by("id").values_list("user__email", "role")
    ) == [(owner.user.email, "owner"), (teammate.user.email, "member")]
    assert ApiKey.objects.filter(organization=owner.organization).count() == 2


def test_an_existing_owner_gets_a_key_of_their_own_organisation_only(owner, outsider):
    secret = run("Owner Org", "--plan", "enterprise", "--owner", owner.user.email)[-1]
    assert key_of(secret).organization == owner.organization
    assert key_of(secret).created_by == owner.user
    assert outsider.organization.plan == Organization.objects.get(pk=outsider.organization.pk).plan
    assert actions(outsider.organization) == [Action.ORGANIZATION_CREATED, Action.KEY_CREATED]
