"""Consents: recorded as given (by the person or, for a child, the guardian; on a signed form
kept as an upload, or spoken before a witness), and withdrawn with the date, reason and who
withdrew it. A consent is never edited: a new one is recorded, and the history keeps both."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core import uploads

from .. import choices as c
from ..capabilities import PCap
from ..models import ConsentRecord
from ._common import _not_future, _require, _save, _text

CHILD_AGE = 18
FORM_KINDS = ("pdf", "jpeg", "png")
FORM_MAX = 10 * 1024 * 1024
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _person_in_reach(user: Any, person: Any) -> None:
    from pandu.registry.models import Person

    _require(user, PCap.CONSENT, person.area_code)
    if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def check_form(file: Any) -> str:
    """The content type of a consent form (PDF, JPG or PNG up to 10 MB), known by its content."""
    if file is None:
        raise ValidationError({"document": [_("Unggah formulir persetujuan yang ditandatangani.")]})
    try:
        kind = uploads.check_upload(file, kinds=FORM_KINDS, max_bytes=FORM_MAX)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from None
    return CONTENT_TYPES[kind]


@transaction.atomic
def record_consent(
    user: Any,
    person: Any,
    *,
    purpose: str,
    scope: str,
    given_by: str,
    method: str,
    given_on: date,
    programme: Any = None,
    organisation: Any = None,
    guardian_name: str = "",
    guardian_relationship: str = "",
    witness_name: str = "",
    document: Any = None,
    valid_until: date | None = None,
    note: str = "",
) -> ConsentRecord:
    _person_in_reach(user, person)
    errors: dict[str, list] = {}
    if purpose not in c.Purpose.values:
        errors["purpose"] = [_("Pilih tujuan persetujuan.")]
    if purpose == c.Purpose.PROGRAMME and programme is None:
        errors["programme"] = [_("Pilih program yang menerima data.")]
    if purpose == c.Purpose.AGENCY and organisation is None:
        errors["organisation"] = [_("Pilih instansi/lembaga yang menerima data.")]
    if given_by not in c.GivenBy.values:
        errors["given_by"] = [_("Pilih siapa yang memberi persetujuan.")]
    if method not in c.Method.values:
        errors["method"] = [_("Pilih cara persetujuan dicatat.")]
    if given_on is None:
        errors["given_on"] = [_("Isi tanggal persetujuan.")]
    elif given_on > timezone.localdate():
        errors["given_on"] = [_("Tanggal tidak boleh di masa depan.")]
    elif given_on < person.birth_date:
        errors["given_on"] = [_("Tanggal tidak boleh sebelum tanggal lahir.")]
    elif person.age(given_on) < CHILD_AGE and given_by != c.GivenBy.GUARDIAN:
        errors["given_by"] = [_("Untuk anak di bawah 18 tahun, persetujuan dari orang tua/wali.")]
    if given_by == c.GivenBy.GUARDIAN:
        if not guardian_name.strip():
            errors["guardian_name"] = [_("Isi nama orang tua/wali.")]
        if not guardian_relationship.strip():
            errors["guardian_relationship"] = [_("Isi hubungan wali dengan orang tersebut.")]
    if method == c.Method.VERBAL and not witness_name.strip():
        errors["witness_name"] = [_("Persetujuan lisan perlu nama saksi.")]
    if valid_until is not None and given_on is not None and valid_until < given_on:
        errors["valid_until"] = [_("Tanggal berakhir tidak boleh sebelum tanggal persetujuan.")]
    if not (scope or "").strip():
        errors["scope"] = [_("Tuliskan data apa yang boleh diproses atau dibagikan, untuk apa.")]
    content_type = ""
    if method in c.WITH_FORM:
        try:
            content_type = check_form(document)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    consent = ConsentRecord(
        person=person,
        purpose=purpose,
        programme=programme if purpose == c.Purpose.PROGRAMME else None,
        organisation=organisation if purpose == c.Purpose.AGENCY else None,
        scope=scope.strip(),
        given_by=given_by,
        guardian_name=guardian_name.strip() if given_by == c.GivenBy.GUARDIAN else "",
        guardian_relationship=(
            guardian_relationship.strip() if given_by == c.GivenBy.GUARDIAN else ""
        ),
        method=method,
        witness_name=witness_name.strip() if method == c.Method.VERBAL else "",
        given_on=given_on,
        valid_until=valid_until,
        note=(note or "").strip()[:300],
        recorded_by=user,
    )
    if method in c.WITH_FORM:
        consent.document = document
        consent.document_name = PurePosixPath(document.name or "").name[:200]
        consent.document_type = content_type
    _save(consent, user, _("Persetujuan dicatat"))
    return consent


@transaction.atomic
def withdraw_consent(
    user: Any, consent: ConsentRecord, *, on: date, reason: str, by: str
) -> ConsentRecord:
    """The person (or the guardian) withdraws a consent from ``on``: it stops counting that day;
    what was done under it before stays lawful and recorded."""
    _person_in_reach(user, consent.person)
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Persetujuan ini sudah dicabut."))
    errors: dict[str, list] = {}
    if by not in c.GivenBy.values:
        errors["by"] = [_("Pilih siapa yang mencabut persetujuan.")]
    if on is None:
        errors["on"] = [_("Isi tanggal pencabutan.")]
    else:
        try:
            _not_future(on, "on")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if on < consent.given_on:
            errors["on"] = [_("Tanggal pencabutan tidak boleh sebelum tanggal persetujuan.")]
    try:
        reason = _text(reason, "reason", _("Tuliskan alasan pencabutan."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    consent.withdrawn_on = on
    consent.withdrawal_reason = reason
    consent.withdrawn_by = by
    consent.withdrawal_recorded_by = user
    consent.withdrawal_recorded_at = timezone.now()
    _save(consent, user, _("Persetujuan dicabut: %(reason)s") % {"reason": reason[:200]})
    return consent
