"""Helpers of the monitoring tests: documents fed by URLs of the local server."""

from governance.models import Document, Version
from monitoring.models import Check, CheckSchedule
from monitoring.services import documents_claim_due
from tests.factories import DocumentFactory, SourceFactory

POLICY_V1 = "<h1>Privacy</h1><p>We keep your data for 30 days.</p>"
POLICY_V2 = "<h1>Privacy</h1><p>We keep your data for 90 days.</p>"


def document_fed_by(*sources: str | tuple[str, dict], **fields) -> Document:
    """A document whose current sources are ``sources`` (URL or (URL, rules)), in order."""
    document = DocumentFactory(**fields)
    for position, source in enumerate(sources):
        url, rules = source if isinstance(source, tuple) else (source, {})
        SourceFactory(document=document, url=url, position=position, extraction_rules=rules)
    return document


def checks_of(document: Document) -> list[Check]:
    """The document's checks, oldest first."""
    return list(Check.objects.filter(document=document).order_by("started_at", "id"))


def versions_of(document: Document) -> list[Version]:
    return list(Version.objects.filter(document=document).order_by("captured_at", "id"))


def schedule_of(document: Document) -> CheckSchedule:
    return CheckSchedule.objects.get(document=document)


def lease(document: Document) -> str:
    """Claim ``document`` as the beat does (due now); returns its lease token."""
    CheckSchedule.objects.get_or_create(document=document)
    return dict(documents_claim_due())[document.pk]
