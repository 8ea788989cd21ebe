"""One clause through time: ``GET /api/v1/provisions/{lineage_id}/history/``.

Feature.PROVISION_HISTORY (Professional and up). A lineage id (20 hex characters, on
every provision of a version and every change flag) names the same clause across a
document's versions. The answer: when it was first and last seen, whether it is in
force (the document's latest version holds it and the platform is not retired), each
wording it had with the dates it held, and the flags of the changes that touched it.
Two queries whatever the number of versions holding it.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from governance import history
from governance.api.change_serializers import ProvisionHistorySerializer

# The URL accepts only this; anything else is a 404 before any query.
LINEAGE_ID_PATTERN = "[0-9a-f]{20}"


class ProvisionHistoryViewSet(ApiViewSet):
    """A clause's wordings through time, with the flags of the changes touching it."""

    required_feature = Feature.PROVISION_HISTORY
    pagination_class = None
    filter_backends = []

    @extend_schema(responses={200: ProvisionHistorySerializer})
    def retrieve(self, request, lineage_id=None):
        found = history.provision_history(lineage_id=lineage_id)
        if found is None:
            raise Http404(f"No provision with lineage id {lineage_id}.")
        context = self.get_serializer_context()
        return Response(ProvisionHistorySerializer(found, context=context).data)
