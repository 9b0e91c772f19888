"""Anonymisation: how Pandu erases personal data without losing history (docs/privacy.md).

The row stays, with its place in every list and count, and its timeline of who changed it,
when and why. What identifies the person is replaced on the row and on every one of its
history rows (so the erased values cannot be read back from the timeline), the change itself
is a history entry naming the reason, and an :class:`Anonymisation` row says which record,
which fields, on what ground and by whom. Nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Anonymisation, ConsentRecord, SubjectRequest
from ._common import _save

#: What an anonymised text field reads.
ERASED = "[dianonimkan]"


def _log(
    user: Any, obj: Any, record_type: str, area: str, fields: list[str], reason: str, **ground
) -> Anonymisation:
    return Anonymisation.objects.create(
        record_type=record_type,
        record_uid=str(obj.uid),
        record_id=obj.pk,
        area_code=area or "",
        fields=fields,
        reason=reason,
        done_by=user,
        **ground,
    )


def _scrub_history(model: Any, pk: int, values: dict[str, Any]) -> None:
    """The erased values leave the record's history rows too; the rows themselves stay."""
    model.history.filter(id=pk).update(**values)


def anonymous_nik(person: Any) -> str:
    """A placeholder in the NIK's place: unique (the column is), never a valid NIK."""
    return "X" + person.uid.hex[:15].upper()


@transaction.atomic
def anonymise_person(
    user: Any, person: Any, reason: str, *, request: Any = None, review: Any = None
) -> Any:
    """The registry person without what identifies them: name, NIK, birth place and day (the
    year stays for the counts by age), telephone, bank account, free-text reasons. Household,
    status and the PPKS categories stay (without their notes), so the figures still add up."""
    from pandu.registry.models import Person, PPKSAssignment
    from pandu.registry.names import search_key

    person = Person.objects.select_for_update().get(pk=person.pk)
    name = _("Anonim %(code)s") % {"code": person.uid.hex[:8].upper()}
    values = {
        "full_name": name,
        "nik": anonymous_nik(person),
        "birth_place": "",
        "birth_date": date(person.birth_date.year, 1, 1),
        "phone": "",
        "bank_name": "",
        "bank_account": "",
        "head_reason": "",
        "status_reason": ERASED if person.status_reason else "",
    }
    for field, value in values.items():
        setattr(person, field, value)
    person.name_key = search_key(name)
    person.quality_flags = []
    person.flagged = False
    _scrub_history(Person, person.pk, values)
    _save(person, user, _("Dianonimkan: %(reason)s") % {"reason": reason[:200]})
    for ppks in PPKSAssignment.objects.filter(person=person).exclude(note=""):
        ppks.note = ERASED
        _scrub_history(PPKSAssignment, ppks.pk, {"note": ERASED})
        _save(ppks, user, _("Catatan dianonimkan"))
    for consent in ConsentRecord.objects.filter(person=person, anonymised_at__isnull=True):
        anonymise_consent(user, consent, reason, log=False)
    _log(
        user, person, "person", person.area_code, sorted(values), reason,
        request=request, review=review,
    )  # fmt: skip
    return person


@transaction.atomic
def anonymise_intake(user: Any, intake: Any, reason: str, *, review: Any = None) -> Any:
    """A closed intake of the one-stop service without the person's identity and story: the
    ticket, its dates, needs and outcome stay for the service's figures. Case notes are the
    service's own (kept encrypted there) and are not touched here."""
    from pandu.services.models import Intake

    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    values = {
        "name": ERASED,
        "nik": "",
        "kk_number": "",
        "birth_date": date(intake.birth_date.year, 1, 1),
        "address": "",
        "phone": "",
        "reporter_name": "",
        "reporter_relationship": "",
        "description": ERASED,
        "resolution": ERASED if intake.resolution else "",
        "person_id": None,
    }
    for field, value in values.items():
        setattr(intake, field, value)
    _scrub_history(Intake, intake.pk, values)
    _save(intake, user, _("Dianonimkan: %(reason)s") % {"reason": reason[:200]})
    fields = sorted(k.removesuffix("_id") for k in values)
    _log(user, intake, "intake", intake.area_code, fields, reason, review=review)
    return intake


@transaction.atomic
def anonymise_consent(
    user: Any, consent: ConsentRecord, reason: str, *, review: Any = None, log: bool = True
) -> ConsentRecord:
    """A consent without the names in it and without its scanned form (the file is removed:
    the scan is the personal data); its purpose, dates and withdrawal stay as the proof."""
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    values = {
        "guardian_name": ERASED if consent.guardian_name else "",
        "guardian_relationship": "",
        "witness_name": ERASED if consent.witness_name else "",
        "note": "",
        "withdrawal_reason": ERASED if consent.withdrawal_reason else "",
        "document": "",
        "document_name": "",
    }
    if consent.document:
        consent.document.delete(save=False)
    for field, value in values.items():
        setattr(consent, field, value)
    consent.anonymised_at = timezone.now()
    _scrub_history(ConsentRecord, consent.pk, values)
    _save(consent, user, _("Dianonimkan: %(reason)s") % {"reason": reason[:200]})
    if log:
        area = consent.person.area_code
        _log(user, consent, "consent", area, sorted(values), reason, review=review)
    return consent


@transaction.atomic
def anonymise_request(
    user: Any, req: SubjectRequest, reason: str, *, review: Any = None
) -> SubjectRequest:
    """A finished request without the requester's name, contact and words; its kind, dates,
    steps and outcome stay, as the office's account of what it did."""
    req = SubjectRequest.objects.select_for_update().get(pk=req.pk)
    values = {
        "requester_name": ERASED if req.requester_name else "",
        "requester_relationship": "",
        "contact": "",
        "description": ERASED,
        "changes": {},
        "identity_note": "",
    }
    for field, value in values.items():
        setattr(req, field, value)
    req.anonymised_at = timezone.now()
    _scrub_history(SubjectRequest, req.pk, values)
    _save(req, user, _("Dianonimkan: %(reason)s") % {"reason": reason[:200]})
    _log(user, req, "request", req.person.area_code, sorted(values), reason, review=review)
    return req
