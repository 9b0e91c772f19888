"""The pages a user meets when something goes wrong: 400, 403, 404 and 500, in the user's language,
each with a way back. The API answers the same errors as JSON.

A 404 says the same whether the record does not exist or lies outside the user's area or role
(``core.access``), so the page never hints which. The 400 and 500 pages (and the expired-form
page) are plain templates rendered without the request: no context processor, no user, no
database, so they still show when the database or a context processor is what failed.

``pandu/urls.py`` names these views as Django's error handlers. With ``DEBUG`` on (``make run``)
Django would answer a 404 with its technical page, which lists every URL pattern;
:class:`FriendlyErrorsMiddleware` shows the friendly page instead, except to staff users (the
developers, who keep Django's debug pages).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as api_exceptions

log = logging.getLogger("pandu.crypto")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(exc_class: type[api_exceptions.APIException], status: int) -> JsonResponse:
    return JsonResponse({"detail": str(exc_class.default_detail)}, status=status)


def back_url(request: HttpRequest) -> str | None:
    """The page the user came from, when it is a page of this site other than this one."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    if parts.path == request.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(api_exceptions.NotFound, 404)
    return render(request, "404.html", {"back": back_url(request)}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(api_exceptions.PermissionDenied, 403)
    return render(request, "403.html", {"back": back_url(request)}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(api_exceptions.ParseError, 400)
    body = loader.get_template("400.html").render({"back": back_url(request)})
    return HttpResponseBadRequest(body)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(api_exceptions.APIException, 500)
    body = loader.get_template("500.html").render({"back": back_url(request)})
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page open too long (or after signing out): say so and how to go on.

    ``CsrfViewMiddleware`` logs the reason; the page does not show it.
    """
    if _is_api(request):
        return _api_error(api_exceptions.PermissionDenied, 403)
    body = loader.get_template("403_csrf.html").render({"back": back_url(request)})
    return HttpResponseForbidden(body)


def _developer(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class FriendlyErrorsMiddleware:
    """With ``DEBUG`` on, a "not found" still shows the friendly page to everyone but staff.

    Does nothing with ``DEBUG`` off: Django then calls :func:`page_not_found` itself. A 403 needs
    no help, Django uses its handler in both modes. Must come after the authentication
    middleware (it asks who the user is) and inside ``CommonMiddleware`` (so an address missing
    its final slash is still redirected before it becomes a 404).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            # No URL pattern matched: the response is Django's technical 404 page.
            and getattr(request, "resolver_match", None) is None
            and not _developer(request)
        ):
            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404) and not _developer(request):
            return page_not_found(request, exception)
        return None


class UnreadableDataMiddleware:
    """Encrypted text whose data key is not in the ring (``core.crypto``): a 503 page that says
    the data cannot be read now and whom to call, and the key id and the ring's file in the log
    for the operator. Neither names a key; ``DEBUG``'s technical page is not shown for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .crypto import DataKeyError

        if not isinstance(exception, DataKeyError):
            return None
        log.error("encrypted data cannot be read: %s", exception)
        if _is_api(request):
            return JsonResponse({"detail": str(UNREADABLE)}, status=503)
        body = loader.get_template("503_data_key.html").render({"back": back_url(request)})
        return HttpResponse(body, status=503)


UNREADABLE = _(
    "Data terenkripsi tidak dapat dibaca saat ini: kunci datanya tidak tersedia di server. "
    "Hubungi administrator."
)
