"""The project's URLs plus pages that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path

from pandu import urls

handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500


def refuse(request):
    raise PermissionDenied("the refusal's reason, not for the user")


def hide(request):
    raise Http404("the reason it is hidden, not for the user")


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("gagal/403/", refuse),
    path("gagal/404/", hide),
    path("gagal/400/", suspicious),
    path("gagal/500/", crash),
    path("api/v1/gagal/403/", refuse),
    *urls.urlpatterns,
]
