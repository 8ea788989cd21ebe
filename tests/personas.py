"""Named personas for API tests: an owner, a teammate, an outsider, and each tier."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from accounts.services import api_key_create, user_get_or_create
from tests.factories import organization_with_key


@dataclass
class Persona:
    client: APIClient
    organization: object
    user: object
    secret: str


def client_for(secret: str | None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def owner(db) -> Persona:
    organization, user, secret = organization_with_key("professional", name="Owner Org")
    return Persona(client_for(secret), organization, user, secret)


@pytest.fixture
def teammate(owner) -> Persona:
    """A plain member of the owner's organisation, with a read-only key."""
    user = user_get_or_create(email="teammate@example.com")
    Membership.objects.create(organization=owner.organization, user=user, role=Role.MEMBER)
    _, secret = api_key_create(
        organization=owner.organization, name="teammate", scopes=["read"], created_by=user
    )
    return Persona(client_for(secret), owner.organization, user, secret)


@pytest.fixture
def outsider(db) -> Persona:
    organization, user, secret = organization_with_key("professional", name="Outsider Org")
    return Persona(client_for(secret), organization, user, secret)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def tier_client(db):
    """tier_client("free" | "professional" | "enterprise") -> an owner's client on it."""

    def make(plan: str) -> APIClient:
        _, _, secret = organization_with_key(plan)
        return client_for(secret)

    return make
