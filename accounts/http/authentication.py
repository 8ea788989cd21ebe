"""``Authorization: Bearer <key>`` for the API; sessions for the admin and browsable API."""

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.principal import KeyRejected, principal_for_key
from accounts.services import api_key_touch


class ApiKeyAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send exactly one key: Authorization: Bearer <key>."
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("This API key is not valid.") from None
        try:
            principal = principal_for_key(secret)
        except KeyRejected as exc:
            raise exceptions.AuthenticationFailed(exc.reason) from None
        api_key_touch(key=principal.key, ip=request.META.get("REMOTE_ADDR"))
        return (principal.user or AnonymousUser(), principal)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="clausewatch"'
