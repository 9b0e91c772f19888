"""Candidates to KPM: the list from a committed targeting run, the TKSK's field visit, the
Dinas's approval, the head's decree, the quotas per area, and every later change of status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from pandu.accounts.roles import user_can
from pandu.core.history import stamp
from pandu.core.querysets import area_ancestors
from pandu.proposals.actions.verification import VisitLocation, _clean_location
from pandu.proposals.uploads import PHOTO_TYPES, check_upload
from pandu.regions.models import Area
from pandu.registry.choices import HouseholdStatus, PersonStatus, Relationship

from ..capabilities import PCap
from ..models import Enrolment, EnrolmentDecree, EnrolmentQuota, Programme
from ..models.enrolment import OPEN_STATUSES, ApprovalStep, EnrolmentStatus, VisitResult

__all__ = [
    "VisitLocation",
    "approve_by_dinas",
    "approve_by_head",
    "change_enrolment_status",
    "create_candidates",
    "reject_candidate",
    "set_quota",
    "verify_candidate",
]

#: Which status a KPM may move to from each status (a candidate moves only by approval).
MOVES = {
    EnrolmentStatus.ACTIVE: {
        EnrolmentStatus.SUSPENDED,
        EnrolmentStatus.GRADUATED,
        EnrolmentStatus.EXITED,
    },
    EnrolmentStatus.SUSPENDED: {
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.GRADUATED,
        EnrolmentStatus.EXITED,
    },
}


def _require(user: Any, cap: str, area_code: str) -> None:
    if not user_can(user, cap) or not user.in_scope(area_code):
        raise PermissionDenied


def _lock(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().get(pk=enrolment.pk)


def _area_name(code: str) -> str:
    area = Area.objects.filter(code=code).first()
    return area.display_name if area else code


# --- The candidate list ---------------------------------------------------------------------


def _head_of(household_ids: Iterable[int]) -> dict[int, int]:
    from pandu.registry.models import Person

    heads = Person.objects.filter(
        household_id__in=household_ids, relationship=Relationship.HEAD, status=PersonStatus.ACTIVE
    ).values_list("household_id", "pk")
    return dict(heads)


@transaction.atomic
def create_candidates(user: Any, run) -> int:
    """Every eligible family of a committed run becomes a candidate of the run's programme,
    unless it already holds a place in it (candidate, active or suspended). Returns how many."""
    from pandu.registry.models import Household

    _require(user, PCap.ENROLMENT_MANAGE, run.area_code)
    if run.status != "committed":
        raise ValidationError(
            _("Daftar calon hanya dibuat dari hasil penetapan sasaran yang sudah ditetapkan.")
        )
    taken = Enrolment.objects.filter(programme_id=run.programme_id, status__in=OPEN_STATUSES)
    families = list(
        Household.objects.filter(
            pk__in=run.results.filter(eligible=True).values("household_id"),
            status=HouseholdStatus.ACTIVE,
        )
        .exclude(pk__in=taken.values("household_id"))
        .values_list("pk", "village_id")
    )
    heads = _head_of([pk for pk, _village in families])
    today = timezone.localdate()
    reason = _("Calon dari penetapan sasaran %(run)s") % {"run": str(run.uid)[:8]}
    rows = [
        Enrolment(
            programme_id=run.programme_id,
            household_id=pk,
            recipient_id=heads.get(pk),
            run=run,
            area_code=village,
            status_since=today,
            status_reason=reason,
        )
        for pk, village in families
    ]
    if rows:
        bulk_create_with_history(
            rows, Enrolment, batch_size=1000, default_user=user, default_change_reason=reason
        )
    return len(rows)


# --- The field visit ------------------------------------------------------------------------


@transaction.atomic
def verify_candidate(
    user: Any,
    enrolment: Enrolment,
    *,
    result: str,
    note: str = "",
    photo=None,
    location: VisitLocation | None = None,
) -> Enrolment:
    """The TKSK's visit: found, not found, moved or died, with a note, and optionally a photo
    and where the phone was. He may record again until the Dinas has approved."""
    _require(user, PCap.ENROLMENT_VERIFY, enrolment.area_code)
    enrolment = _lock(enrolment)
    if enrolment.status != EnrolmentStatus.CANDIDATE or enrolment.step not in (
        ApprovalStep.AWAITING_VISIT,
        ApprovalStep.VERIFIED,
    ):
        raise ValidationError(_("Calon ini sudah diputuskan; hasil kunjungan tidak dapat diubah."))
    if result not in VisitResult.values:
        raise ValidationError({"result": [_("Pilih hasil kunjungan.")]})
    if result != VisitResult.FOUND and not (note or "").strip():
        raise ValidationError(
            {"note": [_("Tuliskan catatan: keluarga tidak ditemukan, pindah atau meninggal.")]}
        )
    if location is not None and not location.empty:
        # The proposal visit's checks read only the record's ``created_at``.
        checked = _clean_location(enrolment, location)  # type: ignore[arg-type]
        for name, value in checked.items():
            setattr(enrolment, name, value)
    if photo is not None:
        try:
            check_upload(photo, PHOTO_TYPES)
        except ValidationError as e:
            raise ValidationError({"photo": e.messages}) from None
        enrolment.visit_photo = photo
    enrolment.visit_result = result
    enrolment.visit_note = (note or "").strip()
    enrolment.verified_by = user
    enrolment.verified_at = timezone.now()
    enrolment.step = ApprovalStep.VERIFIED
    stamp(enrolment, user, enrolment.visit_note or _("Verifikasi lapangan calon KPM"))
    enrolment.save()
    return enrolment


# --- Who may be enrolled, and how many ------------------------------------------------------


def _check_family(enrolment: Enrolment) -> None:
    """A family that left, or a recipient who died or moved out of the area, is not enrolled."""
    household = enrolment.household
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError(
            _("Keluarga KK %(kk)s berstatus '%(status)s' di registri; tidak dapat menjadi KPM.")
            % {"kk": household.kk_number, "status": household.get_status_display()}
        )
    area = enrolment.run.area_code if enrolment.run is not None else enrolment.area_code
    if not household.village_id.startswith(area):
        raise ValidationError(
            _("Keluarga KK %(kk)s sudah pindah ke luar wilayah calon; tidak dapat menjadi KPM.")
            % {"kk": household.kk_number}
        )
    person = enrolment.recipient
    if person is None:
        raise ValidationError(
            _("Keluarga KK %(kk)s tidak punya kepala keluarga aktif di registri.")
            % {"kk": household.kk_number}
        )
    if person.status == PersonStatus.DECEASED:
        raise ValidationError(
            _("%(name)s tercatat meninggal di registri; tidak dapat ditetapkan sebagai KPM.")
            % {"name": person.full_name}
        )
    if person.status != PersonStatus.ACTIVE or person.household_id != household.pk:
        raise ValidationError(
            _("%(name)s tercatat pindah di registri; tidak dapat ditetapkan sebagai KPM.")
            % {"name": person.full_name}
        )


def _check_quota(programme: Programme, enrolments: Sequence[Enrolment], counted: Q) -> None:
    """Every quota that covers one of the villages must hold what is already ``counted`` plus
    ``enrolments``; the first that would overflow is named with its numbers."""
    villages = {e.area_code for e in enrolments}
    codes = {code for v in villages for code in (v, *area_ancestors(v))}
    quotas = EnrolmentQuota.objects.filter(programme=programme, area_id__in=codes).select_related(
        "area"
    )
    for quota in quotas:
        adding = sum(1 for e in enrolments if e.area_code.startswith(quota.area_id))
        if not adding:
            continue
        taken = (
            Enrolment.objects.filter(programme=programme, area_code__startswith=quota.area_id)
            .filter(counted)
            .exclude(pk__in=[e.pk for e in enrolments])
            .aggregate(n=Count("pk"))["n"]
        )
        if taken + adding > quota.quota:
            raise ValidationError(
                _(
                    "Kuota %(programme)s untuk %(area)s adalah %(quota)s keluarga: sudah terisi "
                    "%(taken)s, menyetujui %(adding)s lagi melampaui kuota."
                )
                % {
                    "programme": programme.code,
                    "area": quota.area.display_name,
                    "quota": quota.quota,
                    "taken": taken,
                    "adding": adding,
                }
            )


#: What fills a quota: KPM in the programme and candidates the Dinas has approved.
FILLING = Q(status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED]) | Q(
    status=EnrolmentStatus.CANDIDATE, step=ApprovalStep.DINAS
)


# --- Approval in steps ----------------------------------------------------------------------


@transaction.atomic
def approve_by_dinas(user: Any, enrolment: Enrolment, note: str = "") -> Enrolment:
    """The Dinas's approval of a candidate the TKSK found at home, within the quota."""
    _require(user, PCap.ENROLMENT_MANAGE, enrolment.area_code)
    enrolment = _lock(enrolment)
    if enrolment.status != EnrolmentStatus.CANDIDATE or enrolment.step != ApprovalStep.VERIFIED:
        raise ValidationError(_("Hanya calon yang sudah diverifikasi dapat disetujui Dinas."))
    if enrolment.visit_result != VisitResult.FOUND:
        raise ValidationError(
            _("Calon ini %(result)s saat kunjungan; yang dapat disetujui hanya yang ditemukan.")
            % {"result": enrolment.get_visit_result_display().lower()}
        )
    _check_family(enrolment)
    _check_quota(enrolment.programme, [enrolment], FILLING)
    enrolment.step = ApprovalStep.DINAS
    enrolment.dinas_by = user
    enrolment.dinas_at = timezone.now()
    stamp(enrolment, user, note or _("Disetujui Dinas"))
    enrolment.save()
    return enrolment


@transaction.atomic
def reject_candidate(user: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """The Dinas or the head turns a candidate down: the candidate exits, with the reason."""
    if not (user_can(user, PCap.ENROLMENT_MANAGE) or user_can(user, PCap.ENROLMENT_DECREE)):
        raise PermissionDenied
    _require(user, PCap.ENROLMENT_VIEW, enrolment.area_code)
    enrolment = _lock(enrolment)
    if enrolment.status != EnrolmentStatus.CANDIDATE:
        raise ValidationError(_("Hanya calon yang dapat ditolak."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Tuliskan alasan penolakan.")]})
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.step = ApprovalStep.REJECTED
    enrolment.status_since = timezone.localdate()
    enrolment.status_reason = reason.strip()[:500]
    stamp(enrolment, user, enrolment.status_reason)
    enrolment.save()
    return enrolment


@transaction.atomic
def approve_by_head(
    user: Any,
    enrolments: Sequence[Enrolment],
    *,
    area_code: str,
    number: str,
    decreed_on: date | None,
) -> EnrolmentDecree:
    """The head's decree: the Dinas-approved candidates become active KPM from its date."""
    _require(user, PCap.ENROLMENT_DECREE, area_code)
    number = (number or "").strip()
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Nomor SK wajib diisi.")]
    if decreed_on is None:
        errors["decreed_on"] = [_("Tanggal SK wajib diisi.")]
    elif decreed_on > timezone.localdate():
        errors["decreed_on"] = [_("Tanggal SK tidak boleh di masa depan.")]
    if not enrolments:
        errors["enrolments"] = [_("Pilih paling sedikit satu calon.")]
    if errors:
        raise ValidationError(errors)
    locked = list(
        # Only the enrolments are locked: PostgreSQL cannot lock the optional recipient's side
        # of the join.
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=[e.pk for e in enrolments])
        .select_related("programme", "household", "recipient")
    )
    programmes = {e.programme_id for e in locked}
    if len(programmes) != 1:
        raise ValidationError(_("Satu SK hanya untuk calon dari satu program."))
    for e in locked:
        if not e.area_code.startswith(area_code):
            raise PermissionDenied
        if e.status != EnrolmentStatus.CANDIDATE or e.step != ApprovalStep.DINAS:
            raise ValidationError(
                _("KK %(kk)s belum disetujui Dinas; tidak dapat ditetapkan.")
                % {"kk": e.household.kk_number}
            )
        _check_family(e)
    programme = locked[0].programme
    _check_quota(programme, locked, FILLING)
    try:
        with transaction.atomic():
            decree = EnrolmentDecree(
                programme=programme,
                area_id=area_code,
                number=number,
                decreed_on=decreed_on,  # type: ignore[misc]
                approved_by=user,
            )
            stamp(decree, user, _("SK penetapan KPM"))
            decree.save()
    except IntegrityError:
        raise ValidationError(
            {"number": [_("Nomor SK %(number)s sudah dipakai.") % {"number": number}]}
        ) from None
    reason = _("Ditetapkan dengan SK %(number)s tanggal %(date)s") % {
        "number": number,
        "date": decreed_on.strftime("%d-%m-%Y"),  # type: ignore[union-attr]
    }
    for e in locked:
        e.status = EnrolmentStatus.ACTIVE
        e.step = ApprovalStep.DECREED
        e.decree = decree
        e.enrolled_on = decreed_on
        e.status_since = decreed_on  # type: ignore[assignment]
        e.status_reason = reason
        stamp(e, user, reason)
        e.save()
    return decree


# --- After enrolment ------------------------------------------------------------------------


@transaction.atomic
def change_enrolment_status(
    user: Any, enrolment: Enrolment, *, status: str, on: date | None, reason: str
) -> Enrolment:
    """Suspend, resume, graduate or exit a KPM, with the date and the reason."""
    _require(user, PCap.ENROLMENT_MANAGE, enrolment.area_code)
    enrolment = _lock(enrolment)
    allowed = MOVES.get(EnrolmentStatus(enrolment.status), set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("Status %(from)s tidak dapat diubah menjadi '%(to)s'.")
                    % {"from": enrolment.get_status_display(), "to": status}
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Tuliskan alasan perubahan status.")]
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["on"] = [_("Tanggal tidak boleh di masa depan.")]
    elif enrolment.enrolled_on and on < enrolment.enrolled_on:
        errors["on"] = [_("Tanggal tidak boleh sebelum keluarga menjadi KPM.")]
    if errors:
        raise ValidationError(errors)
    if status == EnrolmentStatus.ACTIVE:
        enrolment.household = type(enrolment.household).objects.get(pk=enrolment.household_id)
        _check_family(enrolment)
    enrolment.status = status
    enrolment.status_since = on
    enrolment.status_reason = reason.strip()[:500]
    stamp(enrolment, user, enrolment.status_reason)
    enrolment.save()
    return enrolment


@transaction.atomic
def set_quota(
    user: Any, programme: Programme, area: Area, quota: int, note: str = ""
) -> EnrolmentQuota:
    """A programme's quota in an area; a quota below the KPM already there is refused."""
    _require(user, PCap.ENROLMENT_MANAGE, area.code)
    if quota is None or int(quota) < 0:
        raise ValidationError({"quota": [_("Kuota harus bilangan 0 atau lebih.")]})
    taken = (
        Enrolment.objects.filter(programme=programme, area_code__startswith=area.code)
        .filter(FILLING)
        .count()
    )
    if int(quota) < taken:
        raise ValidationError(
            {
                "quota": [
                    _(
                        "%(area)s sudah punya %(taken)s KPM dan calon yang disetujui untuk "
                        "%(programme)s; kuota tidak dapat kurang dari itu."
                    )
                    % {"area": area.display_name, "taken": taken, "programme": programme.code}
                ]
            }
        )
    row = EnrolmentQuota.objects.filter(programme=programme, area=area).first()
    row = row or EnrolmentQuota(programme=programme, area=area)
    row.quota = int(quota)
    row.note = (note or "").strip()[:300]
    row.full_clean()
    stamp(row, user, _("Kuota KPM"))
    row.save()
    return row
