"""What the one-stop service's changes share: checks, history stamps, case events, notifications."""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core import uploads
from pandu.core.history import stamp
from pandu.notifications.actions import notify  # noqa: F401  (the service's actions tell people)

from .. import choices as c
from .. import tallies
from ..capabilities import SCap
from ..models import Case, CaseEvent, Counter, Intake
from ..queries import is_supervisor_of

MAX_UPLOAD = 10 * 1024 * 1024


def _require(user, cap: str, area_code: str | None = None) -> None:
    if not user.can(cap) or (area_code is not None and not user.in_scope(area_code)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def _save(obj, user, reason: str = "", **kwargs) -> None:
    stamp(obj, user, reason)
    if isinstance(obj, Intake):
        with tallies.intake_change(obj):  # the dashboard's monthly counts follow the intake
            obj.save(**kwargs)
    else:
        obj.save(**kwargs)


def _event(case: Case, user, kind: str, detail: str = "", *, referral=None, status="") -> None:
    CaseEvent.objects.create(
        case=case, actor=user, kind=kind, detail=detail[:2000], referral=referral, status=status
    )


def _today() -> date:
    return timezone.localdate()


def _not_past(value: date | None, field: str) -> None:
    if value is not None and value < _today():
        raise ValidationError({field: _("Tanggal tidak boleh di masa lalu.")})


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})


def _required_text(value: str, field: str, message: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message or _("Wajib diisi.")})
    return value


def add_years(d: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    year = d.year + years
    day = min(d.day, calendar.monthrange(year, d.month)[1])
    return d.replace(year=year, day=day)


def next_number(kind: str, regency: str, year: int) -> int:
    """The next number of a sequence, safe when two desks ask at the same moment.

    The UPDATE takes the row's write lock (PostgreSQL) or the database's (SQLite, IMMEDIATE
    transactions) until the surrounding transaction commits, so no two callers get one number.
    """
    with transaction.atomic():
        rows = Counter.objects.filter(kind=kind, regency=regency, year=year)
        if not rows.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(kind=kind, regency=regency, year=year, last=1)
                return 1
            except IntegrityError:
                rows.update(last=F("last") + 1)
        return rows.values_list("last", flat=True).get()


PDF_ONLY = ("pdf",)
DOCUMENTS = ("pdf", "jpeg", "png")
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def check_upload(file, *, pdf_only: bool = False) -> str:
    """The content type of a PDF (or, for attachments, a JPG/PNG) of at most 10 MB, known by
    its content (``core.uploads.check_upload``)."""
    if file is None:
        raise ValidationError(_("Pilih berkas."))
    kind = uploads.check_upload(
        file, kinds=PDF_ONLY if pdf_only else DOCUMENTS, max_bytes=MAX_UPLOAD
    )
    return CONTENT_TYPES[kind]


def _intake_in_reach(user, intake: Intake) -> None:
    if not Intake.objects.visible_to(user).filter(pk=intake.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def _first_action(intake: Intake, when=None) -> None:
    if intake.first_action_at is None:
        Intake.objects.filter(pk=intake.pk, first_action_at__isnull=True).update(
            first_action_at=when or timezone.now()
        )
        intake.first_action_at = when or timezone.now()


def _case_in_reach(user, case: Case) -> None:
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def may_supervise(user, case: Case) -> bool:
    """Supervisors of the assigned worker, and administrators, approve plans and closures."""
    if not user.can(SCap.CASE_VIEW) or not user.in_scope(case.area_code):
        return False
    return user.can(SCap.CASE_ADMIN) or is_supervisor_of(user, case.assigned_to)


def may_work(user, case: Case) -> bool:
    """The assigned worker (and the supervisor or administrator) write on the case."""
    if not user.can(SCap.CASE_WORK) or not user.in_scope(case.area_code):
        return False
    return case.assigned_to_id == user.pk or may_supervise(user, case)


def _require_work(user, case: Case, *, open_only: bool = True) -> None:
    _case_in_reach(user, case)
    if not may_work(user, case):
        raise PermissionDenied(_("Hanya petugas yang ditugaskan atau supervisornya."))
    if open_only and case.status == c.CaseStatus.CLOSED:
        raise ValidationError(_("Kasus sudah ditutup; buka kembali dahulu."))
