"""GET .../documents/{kind}/sources/: where a document's text comes from, and by which rules.

Each source (URL, position, validity) carries its extraction rules as they are
now and the history of their changes, so any past version can be explained by
the rules of its time.

Open to anonymous callers (Feature.CATALOGUE), as the document detail is: that
already lists these sources with their current rules, and rules say how we read a
page, never what the document said; the archived text stays behind History.

Not paginated: a document has a handful of sources and each a short list of rule
changes; the answer is one object, like the document detail it extends.
"""

from django.db.models import F, Prefetch, Window
from django.db.models.functions import Lead
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.http.viewsets import ApiViewSet
from governance.models import Document, ExtractionRuleSet, Source


class RuleSetSerializer(serializers.ModelSerializer):
    valid_until = serializers.DateTimeField(
        read_only=True, allow_null=True,
        help_text="When the next rule set took over; null for the current one.",
    )
    current = serializers.SerializerMethodField()

    class Meta:
        model = ExtractionRuleSet
        fields = ["valid_from", "valid_until", "current", "rules", "note"]

    def get_current(self, rule_set: ExtractionRuleSet) -> bool:
        return rule_set.valid_until is None


class SourceRulesSerializer(serializers.ModelSerializer):
    # Plain integers: the model field's range differs by database, the schema must not.
    position = serializers.IntegerField(read_only=True)
    current = serializers.SerializerMethodField()
    rules = serializers.JSONField(
        source="extraction_rules", read_only=True,
        help_text="The rules a check applies now (the newest rule set, or the declared ones).",
    )
    rules_history = RuleSetSerializer(
        source="rule_sets", many=True, read_only=True,
        help_text="Every recorded change of the rules, newest first; empty when the rules "
                  "declared with the source were never changed.",
    )

    class Meta:
        model = Source
        fields = [
            "position", "url", "current", "valid_from", "valid_until", "verified_at", "rules",
            "rules_history",
        ]

    def get_current(self, source: Source) -> bool:
        return source.valid_until is None


class DocumentSourcesSerializer(serializers.Serializer):
    platform = serializers.CharField(source="platform.slug")
    kind = serializers.CharField()
    document_url = serializers.SerializerMethodField()
    sources = SourceRulesSerializer(source="ordered_sources", many=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, document: Document) -> str:
        return reverse(
            "api:document-detail",
            kwargs={"platform_slug": document.platform.slug, "kind": document.kind},
            request=self.context.get("request"),
        )


def _rule_sets():
    # valid_until of a rule set is the valid_from of the next one of the same source.
    return ExtractionRuleSet.objects.annotate(
        valid_until=Window(Lead("valid_from"), partition_by=[F("source_id")],
                           order_by=[F("valid_from").asc(), F("id").asc()])
    ).order_by("-valid_from", "-id")


def _sources():
    # Current sources first, in declared order; then retired ones, latest retired first.
    return Source.objects.order_by(
        F("valid_until").desc(nulls_first=True), "position", "id"
    ).prefetch_related(Prefetch("rule_sets", queryset=_rule_sets()))


class DocumentSourceViewSet(ApiViewSet):
    """A document's sources in order, each with its extraction rules and their history."""

    pagination_class = None
    filter_backends = []

    @extend_schema(responses={200: DocumentSourcesSerializer})
    def retrieve(self, request, platform_slug=None, kind=None):
        document = (
            Document.objects.filter(platform__slug=platform_slug, kind=kind)
            .select_related("platform")
            .prefetch_related(Prefetch("sources", queryset=_sources(), to_attr="ordered_sources"))
            .first()
        )
        if document is None:
            raise Http404("No Document matches the given query.")
        return Response(
            DocumentSourcesSerializer(document, context=self.get_serializer_context()).data
        )
