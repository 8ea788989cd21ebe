"""GET /api/v1/search/?q=...: search every provision of every version, by clause lineage.

Feature.SEARCH (Professional and up). One result per lineage (the same clause across
a document's versions): its platform and document, the best matching wording with the
matches marked, when the searched words first and last appeared in that clause, in how
many versions, and whether the document still says them today. How a query matches
(full text or substring) depends on the database and the query: ``governance.search``.

Decisions:

- ``highlight`` is a list of ``{text, match}`` fragments, never HTML: the text is a
  third party's, so a client renders the marks its own way and nothing gets injected.
- Results are ordered by relevance, so the house's (time, id) cursor does not apply:
  ``page`` and ``page_size`` (1 to 200, default 50) with ``count``, ``next`` and
  ``previous``. Each page recomputes the ranking; pages may shift if a new version is
  recorded in between, which a search (unlike a feed) can live with.
"""

from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from accounts.http.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from governance.api.change_serializers import provision_history_url
from governance.api.history_params import MomentField
from governance.api.serializers import _version_url
from governance.models import Document, Platform
from governance.search import (
    FULLTEXT,
    MAX_QUERY_LENGTH,
    MIN_QUERY_LENGTH,
    SUBSTRING,
    SearchQueryError,
    SearchResult,
    provision_search,
)

DISCLAIMER = (
    "Results say which archived wordings contain the searched text and, by clause "
    "lineage (the same clause followed across versions by fixed rules), since when a "
    "document says it and whether its latest version still does; they describe what "
    "documents state, not a legal finding."
)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=MIN_QUERY_LENGTH, max_length=MAX_QUERY_LENGTH,
        help_text='What to find: words (all of them), "a quoted phrase", `OR` between '
                  "alternatives, `-word` to exclude. English words match any form "
                  "(review, reviews, reviewed); Chinese text matches as a substring.",
    )
    platform = serializers.SlugField(required=False, help_text="Only this platform (slug).")
    kind = serializers.SlugField(
        required=False, help_text="Only documents of this kind (privacy-policy ...)."
    )
    in_force = serializers.ChoiceField(
        choices=["true", "false"], required=False,
        help_text="true: only clauses whose document still says it today (latest version, "
                  "platform not retired); false: only clauses that no longer do.",
    )
    since = MomentField(
        end_of_day=False, required=False,
        help_text="Only clauses first seen saying it at or after this date (start of day, "
                  "UTC) or timestamp.",
    )
    until = MomentField(
        end_of_day=True, required=False,
        help_text="Only clauses first seen saying it at or before this date (end of day, "
                  "UTC) or timestamp.",
    )
    page = serializers.IntegerField(min_value=1, max_value=100_000, required=False, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, required=False, default=DEFAULT_PAGE_SIZE,
    )

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise ValidationError({"until": ["is before since."]})
        return attrs


class FragmentSerializer(serializers.Serializer):
    text = serializers.CharField()
    match = serializers.BooleanField(help_text="true: these are the searched words.")


class SearchPlatformSerializer(serializers.Serializer):
    slug = serializers.CharField(source="platform_slug")
    name = serializers.CharField(source="platform_name")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, result: SearchResult) -> str:
        return reverse("api:platform-detail", kwargs={"slug": result.platform_slug},
                       request=self.context.get("request"))


class SearchDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField(source="document_kind")
    title = serializers.CharField(source="document_title")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, result: SearchResult) -> str:
        return reverse(
            "api:document-detail",
            kwargs={"platform_slug": result.platform_slug, "kind": result.document_kind},
            request=self.context.get("request"),
        )


class SearchResultSerializer(serializers.Serializer):
    platform = SearchPlatformSerializer(source="*")
    document = SearchDocumentSerializer(source="*")
    lineage_id = serializers.CharField(help_text="The clause across the document's versions.")
    history_url = serializers.SerializerMethodField()
    heading_path = serializers.ListField(child=serializers.CharField())
    highlight = FragmentSerializer(
        many=True,
        help_text="The best matching wording (or excerpts of it), cut into fragments; "
                  "`match` marks the searched words. Plain text: render marks yourself.",
    )
    version = serializers.SerializerMethodField(
        help_text="The latest version with the wording shown."
    )
    rank = serializers.FloatField(help_text="Relevance of the best wording; higher first.")
    first_seen = serializers.DateTimeField(
        help_text="Capture of the first version whose clause matched: since when the "
                  "document says it (in this clause)."
    )
    first_seen_version = serializers.SerializerMethodField()
    last_seen = serializers.DateTimeField(
        help_text="Capture of the last version whose clause matched."
    )
    last_seen_version = serializers.SerializerMethodField()
    in_force = serializers.BooleanField(
        help_text="The document's latest version still has a matching wording of this "
                  "clause, and the platform is not retired."
    )
    matching_versions = serializers.IntegerField(
        help_text="How many versions have a matching wording of this clause."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_history_url(self, result: SearchResult) -> str:
        return provision_history_url(self.context.get("request"), result.lineage_id)

    @extend_schema_field(OpenApiTypes.URI)
    def get_version(self, result: SearchResult) -> str:
        return _version_url(self.context.get("request"), result.wording_version_id)

    @extend_schema_field(OpenApiTypes.URI)
    def get_first_seen_version(self, result: SearchResult) -> str:
        return _version_url(self.context.get("request"), result.first_seen_version_id)

    @extend_schema_field(OpenApiTypes.URI)
    def get_last_seen_version(self, result: SearchResult) -> str:
        return _version_url(self.context.get("request"), result.last_seen_version_id)


class SearchPageSerializer(serializers.Serializer):
    query = serializers.CharField()
    mode = serializers.ChoiceField(
        choices=[FULLTEXT, SUBSTRING],
        help_text="fulltext: words and phrases (PostgreSQL); substring: for Chinese "
                  "queries, and on SQLite.",
    )
    method = serializers.CharField(help_text="How the query was matched and ranked.")
    disclaimer = serializers.CharField(
        help_text="What first seen, last seen and in force are, and are not."
    )
    count = serializers.IntegerField(help_text="Matching clause lineages in all.")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchResultSerializer(many=True)


class SearchViewSet(ApiViewSet):
    """Find which clauses of which documents say something, and since when."""

    required_feature = Feature.SEARCH
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[SearchQuerySerializer], responses={200: SearchPageSerializer})
    def search(self, request):
        params = SearchQuerySerializer(data=_single_values(request.query_params))
        params.is_valid(raise_exception=True)
        options = params.validated_data
        _check_exists(options)
        in_force = options.get("in_force")
        page, size = options["page"], options["page_size"]
        try:
            found = provision_search(
                query=options["q"], platform=options.get("platform"), kind=options.get("kind"),
                in_force=None if in_force is None else in_force == "true",
                first_seen_after=options.get("since"), first_seen_before=options.get("until"),
                limit=size, offset=(page - 1) * size,
            )
        except SearchQueryError as error:
            raise ValidationError({"q": [str(error)]}) from None
        url = request.build_absolute_uri()
        data = {
            "query": found.query.raw,
            "mode": found.query.mode,
            "method": found.method,
            "disclaimer": DISCLAIMER,
            "count": found.total,
            "page": page,
            "page_size": size,
            "next": replace_query_param(url, "page", page + 1)
            if page * size < found.total else None,
            "previous": None if page == 1 else (
                remove_query_param(url, "page") if page == 2
                else replace_query_param(url, "page", page - 1)
            ),
            "results": found.results,
        }
        return Response(SearchPageSerializer(data, context=self.get_serializer_context()).data)


def _single_values(query: QueryDict) -> dict:
    # The last value of a repeated parameter, as Django's QueryDict.get gives it.
    return {key: query.get(key) for key in query}


def _check_exists(options: dict) -> None:
    """An unknown platform or kind is a typo to report, not an empty result to trust."""
    if "platform" in options and not Platform.objects.filter(slug=options["platform"]).exists():
        raise ValidationError(
            {"platform": [f"no platform has the slug {options['platform']!r}."]}
        )
    if "kind" in options and not Document.objects.filter(kind=options["kind"]).exists():
        raise ValidationError({"kind": [f"no document is of kind {options['kind']!r}."]})
