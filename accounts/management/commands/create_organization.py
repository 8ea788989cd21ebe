from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, Organization, Role
from accounts.plans import PLANS
from accounts.services import (
    AccountError,
    api_key_create,
    organization_create,
    organization_plan_change,
    user_get_or_create,
)


class Command(BaseCommand):
    help = (
        "Create an organisation (or change its plan) and print a new API key on the last line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--plan", choices=sorted(PLANS), default="free")
        parser.add_argument("--owner", required=True, metavar="EMAIL")
        parser.add_argument(
            "--if-missing", action="store_true",
            help="do nothing (and print no key) when the organisation exists already",
        )

    @transaction.atomic
    def handle(self, *args, name: str, plan: str, owner: str, if_missing: bool, **options):
        existing = Organization.objects.filter(name=name).first()
        if existing and if_missing:
            self.stdout.write(
                f"organisation {existing.slug!r} exists already ({existing.plan}); "
                "its key was printed when it was created"
            )
            return
        try:
            if existing:
                user = user_get_or_create(email=owner)
                # Names are not unique: a clash must never hand someone another customer's
                # organisation (and an unaudited owner role in it).
                if not Membership.objects.filter(
                    organization=existing, user=user, role=Role.OWNER
                ).exists():
                    raise CommandError(
                        f"{user.email} is not an owner of {existing.slug!r}, which is called "
                        f"{name!r} already; choose another name, or name one of its owners."
                    )
                organization = organization_plan_change(organization=existing, plan=plan)
                self.stdout.write(f"organisation {organization.slug!r} is now on {plan}")
            else:
                organization = organization_create(name=name, plan=plan, owner_email=owner)
                user = user_get_or_create(email=owner)
                self.stdout.write(f"created organisation {organization.slug!r} on {plan}")
            _, secret = api_key_create(
                organization=organization, name="created by create_organization",
                scopes=["read", "watch", "export", "admin"], created_by=user,
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("API key (shown once; store it now):")
        self.stdout.write(secret)
