"""``Authorization: Token <key>`` for the API, against the hashed, expiring, revocable tokens of
``accounts.ApiToken``. It replaces Django REST framework's plain ``authtoken`` (same header, so
clients and the OpenAPI schema are unchanged)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from pandu.core.ratelimit import client_ip

from .. import actions, tokens


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        self._request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = tokens.find(key)
        if not tokens.usable(token):
            # One answer for a wrong, expired, revoked or deactivated user's token.
            raise exceptions.AuthenticationFailed(
                _("Token tidak sah, sudah kedaluwarsa atau sudah dicabut.")
            )
        assert token is not None
        request = getattr(self, "_request", None)
        actions.note_token_use(token, client_ip(request) if request is not None else None)
        return (token.user, token)
