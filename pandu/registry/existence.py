"""Whether a NIK or a KK number is already registered: said plainly only inside the user's area.

The registry holds one record per NIK and per KK for the whole country, so registering a
number that exists anywhere must fail. But "already registered" told to anyone about any
number would let any account learn, number by number, who is on the registry anywhere in
Indonesia. So: inside the user's area (the records ``visible_to`` them) the answer is "already
registered"; elsewhere it is a neutral refusal that sends them to the Dinas Sosial, which can
look. Every check is counted per user in the shared cache (``core.ratelimit``) and logged as an
access-log ``lookup`` row (which number is never written down). The bulk importer follows the
same rule row by row and logs one ``lookup`` per import (:func:`record_bulk_check`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pandu.core import ratelimit
from pandu.core.access import record_access
from pandu.core.models import AccessLog

from .models import Household, Person

#: Checks one user may make in ``WINDOW_SECONDS`` (setting ``PANDU_EXISTENCE_CHECKS``): one a
#: second on average, room for an administrator approving a hundred new families at once (five
#: numbers each), far from the 44 a second a script could guess before.
CHECKS = 600
WINDOW_SECONDS = 600

FREE, MINE, ELSEWHERE = "free", "mine", "elsewhere"


def nik_taken_message() -> str:
    return _("NIK ini sudah terdaftar di registri.")


def kk_taken_message() -> str:
    return _("Nomor KK ini sudah terdaftar.")


def elsewhere_message() -> str:
    return _(
        "Nomor ini tidak dapat didaftarkan dari akun Anda. Hubungi Dinas Sosial untuk memeriksanya."
    )


def too_many_message() -> str:
    return _(
        "Terlalu banyak pemeriksaan NIK/KK dalam waktu singkat. Tunggu beberapa menit lalu "
        "coba lagi."
    )


def _count(user, what: str, path: str) -> None:
    limit = int(getattr(settings, "PANDU_EXISTENCE_CHECKS", CHECKS))
    allowed = ratelimit.hit(
        "registry.exists", f"user:{user.pk}", limit=limit, window=WINDOW_SECONDS
    )
    detail = f"{what}: existence check" if allowed else f"{what}: existence check refused (limit)"
    record_access(user, AccessLog.Kind.LOOKUP, detail=detail, path=path)
    if not allowed:
        raise ValidationError(too_many_message(), code="too_many_checks")


def nik_status(user, nik: str, *, exclude_pk: int | None = None, path: str = "") -> str:
    """FREE, MINE (registered among the people ``user`` may see) or ELSEWHERE.

    Counts and logs the check; raises ValidationError once the user checked too often. A
    system caller (``user`` None: commands, the demo) is neither counted nor logged."""
    if user is not None:
        _count(user, "nik", path)
    found = Person.objects.filter(nik=nik)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    if not found.exists():
        return FREE
    if user is None or found.filter(pk__in=Person.objects.visible_to(user).values("pk")).exists():
        return MINE
    return ELSEWHERE


def kk_status(user, kk: str, *, path: str = "") -> str:
    """As :func:`nik_status`, for a family card number."""
    if user is not None:
        _count(user, "kk", path)
    found = Household.objects.filter(kk_number=kk)
    if not found.exists():
        return FREE
    if user is None or Household.objects.visible_to(user).filter(kk_number=kk).exists():
        return MINE
    return ELSEWHERE


def record_bulk_check(user, obj, *, rows: int, elsewhere: int, path: str = "") -> None:
    """One access-log ``lookup`` for a file whose rows were all checked at once (an import):
    it names the file's record (``obj``) and how many of its ``rows`` met a record outside
    ``user``'s area, never a number. Such a check is not counted against the per-user limit
    (one file has thousands of rows; who may import is decided by role). A system caller
    (``user`` None) is not logged, as above."""
    if user is None:
        return
    detail = (
        f"{obj._meta.model_name}: existence check of {rows} rows, "
        f"{elsewhere} on records outside the area"
    )
    record_access(user, AccessLog.Kind.LOOKUP, obj, detail=detail, path=path)


def nik_error(user, nik: str, *, exclude_pk: int | None = None) -> str | None:
    """The message that refuses registering ``nik`` for ``user``, or None when it is free."""
    try:
        status = nik_status(user, nik, exclude_pk=exclude_pk)
    except ValidationError as exc:
        return exc.messages[0]
    return {FREE: None, MINE: nik_taken_message(), ELSEWHERE: elsewhere_message()}[status]


def kk_error(user, kk: str) -> str | None:
    try:
        status = kk_status(user, kk)
    except ValidationError as exc:
        return exc.messages[0]
    return {FREE: None, MINE: kk_taken_message(), ELSEWHERE: elsewhere_message()}[status]
