"""Aid-use monitoring: the visit a TKSK or facilitator records after seeing a KPM family."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pandu.core.history import stamp
from pandu.programs.models import Enrolment
from pandu.programs.models.enrolment import EnrolmentStatus
from pandu.proposals.actions.verification import VisitLocation, _clean_location

from ..capabilities import ECap
from ..choices import EXPLAIN, PROBLEMS, USES
from ..models import UseVisit
from ._common import past_date, raise_if, require, text

#: What a visit records besides the KPM, the visitor and the location.
ANSWERS = frozenset(
    {
        "visited_on",
        "aid_received",
        "use_note",
        "follow_up_needed",
        "follow_up_note",
        "note",
        *(name for name, _label in USES),
        *(flag for flag, _note, _label in PROBLEMS),
        *(note for _flag, note, _label in PROBLEMS),
    }
)
#: A KPM visited about the use of its aid: one that receives it, or whose aid is suspended.
VISITED_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


def _check_answers(visit: UseVisit, enrolment: Enrolment, errors: dict[str, list[str]]) -> None:
    uses = [name for name, _label in USES if getattr(visit, name)]
    if visit.aid_received and not uses:
        errors["uses"] = [_("Pilih paling sedikit satu penggunaan bantuan.")]
    if not visit.aid_received and uses:
        errors["uses"] = [
            _("Bantuan belum diterima: kosongkan penggunaan, atau tandai bantuan sudah diterima.")
        ]
    if visit.use_other and not visit.use_note:
        errors["use_note"] = [_("Tuliskan penggunaan lainnya.")]
    for flag, note, label in PROBLEMS:
        if getattr(visit, flag) and not getattr(visit, note):
            errors[note] = [str(EXPLAIN[flag])]
        elif getattr(visit, note) and not getattr(visit, flag):
            errors[flag] = [
                _("Centang '%(problem)s' bila catatannya diisi, atau kosongkan catatannya.")
                % {"problem": label}
            ]
    if visit.follow_up_needed and not visit.follow_up_note:
        errors["follow_up_note"] = [_("Tuliskan tindak lanjut yang diperlukan.")]
    elif visit.follow_up_note and not visit.follow_up_needed:
        errors["follow_up_needed"] = [
            _("Centang 'perlu tindak lanjut' bila tindak lanjutnya diisi.")
        ]
    if (
        visit.visited_on
        and enrolment.enrolled_on
        and visit.visited_on < enrolment.enrolled_on
        and "visited_on" not in errors
    ):
        errors["visited_on"] = [_("Tanggal kunjungan tidak boleh sebelum keluarga menjadi KPM.")]


@transaction.atomic
def record_visit(
    user: Any,
    enrolment: Enrolment,
    *,
    location: VisitLocation | None = None,
    **answers: Any,
) -> UseVisit:
    """One visit to a KPM: the date, what the aid was used for (at least one use when it was
    received), the problems with the programme, the card, the PIN or the e-warong (each with
    its note), and whether someone must follow up. The location only when the phone gave it."""
    unknown = set(answers) - ANSWERS
    if unknown:
        raise TypeError(f"record_visit got unknown answers: {sorted(unknown)}")
    require(user, ECap.VISIT, enrolment.area_code)
    if enrolment.status not in VISITED_STATUSES:
        raise ValidationError(
            _(
                "Keluarga ini berstatus '%(status)s' dalam program; kunjungan pemantauan hanya "
                "untuk KPM aktif atau ditangguhkan."
            )
            % {"status": enrolment.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    visit = UseVisit(enrolment=enrolment, area_code=enrolment.area_code, visitor=user)
    visit.visited_on = past_date(  # type: ignore[assignment]
        answers.get("visited_on"), "visited_on", _("Tanggal kunjungan"), errors
    )
    visit.aid_received = bool(answers.get("aid_received", True))
    for name, _label in USES:
        setattr(visit, name, bool(answers.get(name)))
    for flag, note, _label in PROBLEMS:
        setattr(visit, flag, bool(answers.get(flag)))
        setattr(visit, note, text(answers.get(note), 500))
    visit.use_note = text(answers.get("use_note"), 500)
    visit.follow_up_needed = bool(answers.get("follow_up_needed"))
    visit.follow_up_note = text(answers.get("follow_up_note"), 500)
    visit.note = text(answers.get("note"), 4000)
    _check_answers(visit, enrolment, errors)
    if location is not None and not location.empty:
        try:
            # The proposal visit's checks read only the record's ``created_at``: a position
            # taken before the family was listed is refused.
            for name, value in _clean_location(enrolment, location).items():  # type: ignore[arg-type]
                setattr(visit, name, value)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if (
        visit.visited_on
        and UseVisit.objects.filter(
            enrolment=enrolment, visitor=user, visited_on=visit.visited_on
        ).exists()
    ):
        errors.setdefault("visited_on", []).append(
            _("Kunjungan Anda ke keluarga ini pada tanggal itu sudah tercatat.")
        )
    raise_if(errors)
    stamp(visit, user, _("Kunjungan pemantauan penggunaan bantuan"))
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        raise ValidationError(
            {"visited_on": [_("Kunjungan Anda ke keluarga ini pada tanggal itu sudah tercatat.")]}
        ) from None
    if visit.follow_up_needed:
        _tell_the_office(visit, enrolment)
    return visit


def _tell_the_office(visit: UseVisit, enrolment: Enrolment) -> None:
    """A visit that asks for follow-up goes to the Dinas's administrators of the area."""
    from pandu.notifications.actions import notify
    from pandu.notifications.queries import nearest_holders

    notify(
        nearest_holders(ECap.MANAGE, enrolment.area_code),
        "empowerment.follow_up",
        _("KPM %(programme)s perlu tindak lanjut") % {"programme": enrolment.programme.code},
        _("Kunjungan %(date)s di desa/kelurahan %(area)s mencatat perlunya tindak lanjut.")
        % {"date": visit.visited_on.strftime("%d-%m-%Y"), "area": enrolment.area_code},
        reverse("empowerment:visit_detail", args=[visit.uid]),
        key=f"empowerment.visit:{visit.uid}",
    )
