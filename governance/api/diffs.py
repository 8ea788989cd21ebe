"""GET /api/v1/versions/{id}/diff/?against={other_id}: what differs between two versions.

Professional plans and up (Feature.DIFFS). ``against`` defaults to the version's
predecessor (after suspect captures: the last good version, as its change does);
either may be the newer one: the diff always runs from the older to the newer, and
``from`` / ``to`` say which is which. Outputs (``Accept`` or ``?format=``):
``json`` (default), ``diff`` (unified diff of the two whole texts) and ``html`` (a
self-contained redline page); see governance/api/renderers.py. Errors are problem+json
whatever format was asked for.

Not paginated: a diff is one object and a document is bounded (a policy has fewer than
2,000 provisions; the corpus' largest version has 1,734). Measured over the corpus' 509
consecutive pairs (shared 2-core machine, uncached): median 16 ms; the worst,
llama-api/privacy-policy of 2026-07-15 (a rewrite), 0.30 s and 935 kB of JSON, 0.46 s
and 740 kB of HTML, 0.05 s and 448 kB of unified diff. A body once made is served from
the cache in about 12 ms.

The first version of a document with no ``against`` is a 404 (problem type
``first-version``), not a 409: the resource asked for, the diff with its predecessor,
does not exist and never will (nothing is ever inserted before a first version), while
409 says the request conflicts with a state that may change. Its detail says to pass
``against=``.

Caching: two versions never change, nor does their diff (the stored lineage ids and
change rows only change with an algorithm, and the ETag names the algorithms), so the
answer carries a strong ETag, one per output format, and ``immutable``; a body once
made is kept (governance/api/cache.py) under a key that holds the same parts.
"""

import re

from django.http import Http404, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.http.caching import cache_headers, etag_matches
from accounts.http.permissions import check_history_depth
from accounts.http.problems import PROBLEM_TYPE_BASE
from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from governance import diffs
from governance.api.cache import BodyCacheMixin, body_cache_key, cached_response
from governance.api.change_serializers import ChangeCountsSerializer
from governance.api.ids import MAX_ID, canonical_id
from governance.api.renderers import DiffJSONRenderer, RedlineHTMLRenderer, UnifiedDiffRenderer
from governance.models import ChangeFlag, Version

_DIGITS = re.compile(r"[0-9]+")

REDLINE_CSP = "default-src 'none'; style-src 'unsafe-inline'"


class DiffVersionSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="document.platform.slug", read_only=True)
    document = serializers.CharField(source="document.kind", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:version-detail")

    class Meta:
        model = Version
        fields = [
            "id", "platform", "document", "title", "captured_at", "language", "origin",
            "is_technical", "anomalies", "chain_hash", "url",
        ]


class DiffRequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="requested_id", help_text="The id in the path.")
    against = serializers.IntegerField(
        source="against_id", help_text="The other version (the predecessor by default)."
    )
    against_default = serializers.BooleanField(
        help_text="True when `against` was not given and the predecessor was taken."
    )
    reversed = serializers.BooleanField(
        help_text="True when `against` is the newer version: the diff still runs from the "
        "older (`from`) to the newer (`to`)."
    )


class DiffCountsSerializer(ChangeCountsSerializer):
    """The same counts as a change's (same names), with the headings touched."""

    headings_touched = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField())
    )


class DiffFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeFlag
        fields = ["category", "subject", "direction", "lineage_id", "heading_path", "before",
                  "after"]


class DiffSummarySerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField()
    significance = serializers.CharField(help_text="major, minor, editorial; empty when none.")
    significance_rule = serializers.CharField()
    no_summary_reason = serializers.CharField(help_text="Why there is no summary, else empty.")
    method = serializers.CharField()
    computed_at = serializers.DateTimeField()
    flags = DiffFlagSerializer(many=True)


class DiffChunkSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class ProvisionDiffSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["modified", "moved", "added", "removed", "split", "merged"]
    )
    lineage_id = serializers.CharField(
        help_text="The clause's stored lineage id (the older provision's when removed)."
    )
    lineage_id_before = serializers.CharField(
        allow_null=True, help_text="The older provision's lineage id (null when added)."
    )
    old_ordinal = serializers.IntegerField(allow_null=True)
    new_ordinal = serializers.IntegerField(allow_null=True)
    heading_path_before = serializers.ListField(child=serializers.CharField(), allow_null=True)
    heading_path_after = serializers.ListField(child=serializers.CharField(), allow_null=True)
    related_old_ordinals = serializers.ListField(
        child=serializers.IntegerField(), help_text="A merge's other older parts."
    )
    related_new_ordinals = serializers.ListField(
        child=serializers.IntegerField(), help_text="A split's other newer parts."
    )
    diff = serializers.SerializerMethodField(
        help_text="Chunks: equal + delete give the older text, equal + insert the newer."
    )

    @extend_schema_field(DiffChunkSerializer(many=True))
    def get_diff(self, change: diffs.ProvisionDiff) -> list[dict]:
        return [{"op": op, "text": text} for op, text in change.diff]


class VersionDiffSerializer(serializers.Serializer):
    from_ = DiffVersionSerializer(source="pair.older", help_text="The older version.")
    to = DiffVersionSerializer(source="pair.newer", help_text="The newer version.")
    requested = DiffRequestSerializer(source="pair")
    consecutive = serializers.BooleanField(source="pair.consecutive")
    language = serializers.CharField(help_text="The newer version's: it sets the granularity.")
    granularity = serializers.ChoiceField(choices=["word", "character"])
    counts = DiffCountsSerializer(
        help_text="The stored change's counts for consecutive versions, else computed."
    )
    summary = serializers.SerializerMethodField()
    changes = ProvisionDiffSerializer(many=True, help_text="Unchanged provisions are omitted.")
    method = serializers.CharField()
    disclaimer = serializers.SerializerMethodField()
    attribution = serializers.CharField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        return {"from": fields.pop("from_"), **fields}

    @extend_schema_field(DiffSummarySerializer(allow_null=True))
    def get_summary(self, diff: diffs.VersionDiff) -> dict | None:
        if diff.change is None:
            return None
        change = diff.change
        return DiffSummarySerializer(
            {**{name: getattr(change, name) for name in (
                "title", "body", "significance", "significance_rule", "no_summary_reason",
                "method", "computed_at")}, "flags": diff.flags}
        ).data

    def get_disclaimer(self, diff: diffs.VersionDiff) -> str:
        return diffs.DISCLAIMER


AGAINST_PARAMETER = OpenApiParameter(
    "against", OpenApiTypes.INT, required=False,
    description="The id of another version of the same document (default: what the "
    "version's change is measured against: its predecessor, or after suspect captures "
    "the last version that was not one). Older or newer: the diff always runs from the "
    "older to the newer.",
)
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="A version's id.",
)
FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "diff", "html"], required=False,
    description="json (default), diff (unified text diff), html (redline page); or Accept.",
)


class VersionDiffViewSet(BodyCacheMixin, ApiViewSet):
    """What differs between two versions of a document, provision by provision."""

    required_feature = Feature.DIFFS
    renderer_classes = [DiffJSONRenderer, UnifiedDiffRenderer, RedlineHTMLRenderer]
    pagination_class = None
    filter_backends = []
    queryset = Version.objects.none()  # for the schema; the diff reads through governance.diffs

    @extend_schema(
        operation_id="versions_diff_retrieve",
        parameters=[ID_PARAMETER, AGAINST_PARAMETER, FORMAT_PARAMETER],
        responses={
            (200, "application/json"): VersionDiffSerializer,
            (200, "text/x-diff"): OpenApiResponse(
                OpenApiTypes.STR, description="A unified diff of the two whole texts."
            ),
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="A self-contained redline page."
            ),
            304: None,
        },
    )
    def retrieve(self, request, pk=None):
        pair = self._pair(pk)
        output = request.accepted_renderer.format
        etag = f'"{diffs.version_pair_fingerprint(pair=pair, output=output)}"'
        if etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            # ?format= too: DRF carries it over into the links the JSON body holds.
            key = body_cache_key(
                request, "version-diff", etag, pair.older.pk, pair.newer.pk,
                request.query_params.get("format", ""),
            )
            response = cached_response(key)
            if response is None:
                response = Response(self._body(pair, output))
                response.body_cache_key = key
                response.is_diff = True
        cache_headers(response, etag=etag, immutable=True)
        patch_vary_headers(response, ["Accept"])
        response["X-Content-Type-Options"] = "nosniff"
        if output == RedlineHTMLRenderer.format:
            response["Content-Security-Policy"] = REDLINE_CSP
        return response

    def _body(self, pair: diffs.VersionPair, output: str):
        if output == UnifiedDiffRenderer.format:
            return diffs.version_pair_unified_diff(pair=pair)
        diff = diffs.version_diff(pair=pair)
        return VersionDiffSerializer(diff, context=self.get_serializer_context()).data

    def _pair(self, pk) -> diffs.VersionPair:
        version_id = canonical_id(pk)
        if version_id is None:
            raise Http404("No Version matches the given query.")
        against_id = _against(self.request.query_params.get("against"))
        try:
            pair = diffs.version_pair(version_id=version_id, against_id=against_id)
        except diffs.DiffError as error:
            raise _problem(error) from None
        # A plan with a history window may read no text it could not read alone (today
        # every plan with diffs sees all history): the older one stopped being in force
        # when its successor came.
        until = getattr(pair.older, "in_force_until", None)
        if until is not None:
            check_history_depth(self.request, until)
        return pair

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and not getattr(response, "is_diff", False):
            # Problems (and OPTIONS metadata) are JSON whatever format was asked for:
            # the text and HTML renderers only know how to draw a diff.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


def _against(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw):
        raise exceptions.ValidationError(
            {"against": f"must be the id of a version (a positive integer), not {raw!r}."}
        )
    value = int(raw) if len(raw) <= 19 else 0
    if not 1 <= value <= MAX_ID:
        raise Http404(f"No version with id {raw} (against).")
    return value


def _problem(error: diffs.DiffError) -> exceptions.APIException:
    if error.reason == diffs.NOT_FOUND:
        return exceptions.NotFound(error.message)
    if error.reason == diffs.FIRST_VERSION:
        problem = exceptions.NotFound(error.message)
        problem.problem_extra = {"type": PROBLEM_TYPE_BASE + "first-version"}
        return problem
    return exceptions.ValidationError({"against": error.message})

