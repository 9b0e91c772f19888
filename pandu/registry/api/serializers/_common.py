"""What the registry API serializers share: date formats, the request's user, absolute URLs."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
NUMBER_AS_TEXT = _(
    "Kirim nomor ini sebagai teks JSON (dalam tanda kutip), bukan angka: angka 16 digit "
    "kehilangan digit terakhirnya di spreadsheet dan di banyak bahasa pemrograman."
)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _api_url(serializer, name: str, uid) -> str:
    url = reverse(name, kwargs={"uid": uid})
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url
