"""Data subjects' requests: received with their two clocks, acknowledged, the requester's
identity made sure of, assigned; then each kind's work (a copy of the data, a correction
through the registry, a human review of a targeting result) and its end. An erasure or a
restriction, or refusing one, is proposed by one person and approved by another."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.access import record_access
from pandu.core.models import AccessLog

from .. import choices as c
from .. import deadlines
from ..capabilities import PCap
from ..holds import holds_for
from ..models import Restriction, SubjectRequest
from ._common import _not_future, _require, _save, _text, nearest_holders, tell

DIRECT_FIELDS = c.DIRECT_FIELDS
VERIFIED_FIELDS = c.VERIFIED_FIELDS
CORRECTABLE = c.CORRECTABLE
DATE_FIELDS = c.DATE_FIELDS
TEXT_FIELDS = c.TEXT_FIELDS


def verified_fields() -> frozenset[str]:
    chosen = getattr(settings, "PANDU_PRIVACY_VERIFIED_FIELDS", VERIFIED_FIELDS)
    return frozenset(chosen) & frozenset(CORRECTABLE)


def _url(req: SubjectRequest) -> str:
    return reverse("privacy:request_detail", args=[req.uid])


def _area(req: SubjectRequest) -> str:
    return req.person.area_code or ""


def _lock(req: SubjectRequest) -> SubjectRequest:
    return (
        SubjectRequest.objects.select_related("person")
        .select_for_update(of=("self",))
        .get(pk=req.pk)
    )


def _require_status(req: SubjectRequest, *statuses: str) -> None:
    if req.status not in statuses:
        raise ValidationError(
            _("Permintaan ini berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"status": req.get_status_display()}
        )


def _require_kind(req: SubjectRequest, *kinds: str) -> None:
    if req.kind not in kinds:
        raise ValidationError(_("Langkah ini bukan untuk jenis permintaan ini."))


def _require_processing(req: SubjectRequest) -> None:
    if req.status in (c.RequestStatus.RECEIVED, c.RequestStatus.ACKNOWLEDGED):
        raise ValidationError(
            _("Kirim tanda terima dan pastikan identitas pemohon sebelum permintaan diproses.")
        )
    _require_status(req, c.RequestStatus.IN_PROGRESS)


def _advance(req: SubjectRequest) -> None:
    """Received → acknowledged → in progress, as the two first steps are done (in any order)."""
    if req.status not in (c.RequestStatus.RECEIVED, c.RequestStatus.ACKNOWLEDGED):
        return
    if req.acknowledged_at is not None and req.identity_verified:
        req.status = c.RequestStatus.IN_PROGRESS
    elif req.acknowledged_at is not None:
        req.status = c.RequestStatus.ACKNOWLEDGED


def clean_changes(person: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """The correction asked for, as JSON (dates as ISO text, codes as numbers); fields that
    would not change are left out. Unknown fields and empty corrections are refused."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValidationError(
            {
                "changes": [
                    _("Isian ini tidak dapat diperbaiki lewat permintaan: %(f)s.")
                    % {"f": ", ".join(unknown)}
                ]
            }
        )
    from pandu.registry.validation import clean_birth_date, clean_name, clean_phone

    # The registry's own checks, so a wrong value is said at the desk, not days later.
    checks = {"full_name": clean_name, "birth_date": clean_birth_date, "phone": clean_phone}
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if value in (None, ""):
            continue
        if name in DATE_FIELDS and isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise ValidationError({name: [_("Tanggal tidak sah.")]}) from None
        if name in checks:
            try:
                value = checks[name](value)  # type: ignore[operator]
            except ValidationError as exc:
                raise ValidationError({name: exc.messages}) from None
        if name in DATE_FIELDS:
            if value == getattr(person, name):
                continue
            out[name] = value.isoformat()
        elif name in TEXT_FIELDS:
            value = " ".join(str(value).split())
            field = person._meta.get_field(name)
            if field.choices and value not in {k for k, _label in field.choices}:
                raise ValidationError({name: [_("Pilihan tidak sah.")]})
            if value != (getattr(person, name) or ""):
                out[name] = value
        else:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ValidationError({name: [_("Pilihan tidak sah.")]}) from None
            field = person._meta.get_field(name)
            if value not in {k for k, _label in field.choices}:
                raise ValidationError({name: [_("Pilihan tidak sah.")]})
            if value != getattr(person, name):
                out[name] = value
    return out


def decoded(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k in DATE_FIELDS else v for k, v in changes.items()}


def _objected_result(user: Any, person: Any):
    from pandu.targeting.queries import desil_history

    if person.household_id is None:
        return None
    results = desil_history(user, person.household)
    return results[0] if results else None


@transaction.atomic
def receive_request(
    user: Any,
    person: Any,
    *,
    kind: str,
    channel: str,
    requester: str,
    description: str,
    received_at: datetime | None = None,
    requester_name: str = "",
    requester_relationship: str = "",
    contact: str = "",
    changes: dict[str, Any] | None = None,
    identity_method: str = "",
    identity_note: str = "",
) -> SubjectRequest:
    """A request written down as it came; its clocks start at ``received_at`` (now). When the
    identity was checked at the desk, ``identity_method`` says how."""
    from pandu.registry.models import Person

    _require(user, PCap.HANDLE, person.area_code)
    if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    received_at = received_at or timezone.now()
    errors: dict[str, list] = {}
    if kind not in c.RequestKind.values:
        errors["kind"] = [_("Pilih jenis permintaan.")]
    if channel not in c.Channel.values:
        errors["channel"] = [_("Pilih saluran permintaan.")]
    if requester not in c.Requester.values:
        errors["requester"] = [_("Pilih siapa yang mengajukan.")]
    elif requester != c.Requester.SELF:
        if not requester_name.strip():
            errors["requester_name"] = [_("Isi nama pemohon.")]
        if not requester_relationship.strip():
            errors["requester_relationship"] = [_("Isi hubungan pemohon dengan orang tersebut.")]
    if identity_method and identity_method not in c.IdentityMethod.values:
        errors["identity_method"] = [_("Pilih cara memastikan identitas.")]
    if identity_method == c.IdentityMethod.OTHER and not identity_note.strip():
        errors["identity_note"] = [_("Jelaskan cara memastikan identitas.")]
    for check in (
        lambda: _not_future(received_at, "received_at"),
        lambda: _text(description, "description", _("Tuliskan isi permintaannya.")),
    ):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    cleaned: dict[str, Any] = {}
    if kind == c.RequestKind.CORRECTION:
        try:
            cleaned = clean_changes(person, changes or {})
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if not cleaned:
                errors.setdefault("changes", []).append(
                    _("Isi paling sedikit satu isian yang diperbaiki, dengan nilai yang benar.")
                )
    result = None
    if kind == c.RequestKind.OBJECTION:
        result = _objected_result(user, person)
        if result is None:
            errors["kind"] = [
                _("Keluarga orang ini belum pernah dinilai oleh penetapan sasaran yang ditetapkan.")
            ]
    if errors:
        raise ValidationError(errors)
    req = SubjectRequest(
        person=person,
        kind=kind,
        channel=channel,
        requester=requester,
        requester_name=requester_name.strip() if requester != c.Requester.SELF else "",
        requester_relationship=(
            requester_relationship.strip() if requester != c.Requester.SELF else ""
        ),
        contact=(contact or "").strip()[:200],
        description=description.strip(),
        changes=cleaned,
        received_at=received_at,
        received_by=user,
        ack_due=deadlines.ack_due(received_at),
        due_on=deadlines.completion_due(received_at, kind),
        targeting_result=result,
    )
    if identity_method:
        req.identity_verified = True
        req.identity_method = identity_method
        req.identity_note = identity_note.strip()[:300]
        req.identity_checked_by = user
        req.identity_checked_at = timezone.now()
    _save(req, user, _("Permintaan diterima"))
    req.number = f"PDP-{timezone.localdate(received_at).year}-{req.pk:05d}"
    _save(req, user, _("Nomor permintaan"), update_fields=["number"])
    tell(
        nearest_holders(PCap.HANDLE, _area(req)),
        "privacy_request",
        _("Permintaan subjek data baru: %(number)s") % {"number": req.number},
        _("%(kind)s. Tanda terima paling lambat %(due)s; penyelesaian paling lambat %(done)s.")
        % {
            "kind": req.get_kind_display(),
            "due": timezone.localtime(req.ack_due).strftime("%d-%m-%Y %H:%M"),
            "done": req.due_on.strftime("%d-%m-%Y"),
        },
        _url(req),
        key=f"privacy-new:{req.uid}",
    )
    return req


@transaction.atomic
def acknowledge_request(user: Any, req: SubjectRequest, *, note: str = "") -> SubjectRequest:
    """The requester was told the request is received (a receipt at the desk, a letter, a
    message): the first clock stops."""
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_status(req, c.RequestStatus.RECEIVED, c.RequestStatus.ACKNOWLEDGED)
    if req.acknowledged_at is not None:
        raise ValidationError(_("Tanda terima sudah dicatat."))
    req.acknowledged_at = timezone.now()
    req.acknowledged_by = user
    req.ack_note = _text(note, "note", _("Tuliskan bagaimana tanda terima disampaikan."))[:300]
    _advance(req)
    _save(req, user, _("Tanda terima dikirim"))
    return req


@transaction.atomic
def check_identity(
    user: Any, req: SubjectRequest, *, method: str, verified: bool, note: str = ""
) -> SubjectRequest:
    """Whether the requester is the person (or their guardian, or holds their power of
    attorney). Not verified: the request waits (or is refused with that reason)."""
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_status(req, c.RequestStatus.RECEIVED, c.RequestStatus.ACKNOWLEDGED)
    if method not in c.IdentityMethod.values:
        raise ValidationError({"method": [_("Pilih cara memastikan identitas.")]})
    if (method == c.IdentityMethod.OTHER or not verified) and not note.strip():
        raise ValidationError({"note": [_("Jelaskan pemeriksaan identitasnya.")]})
    req.identity_verified = bool(verified)
    req.identity_method = method
    req.identity_note = note.strip()[:300]
    req.identity_checked_by = user
    req.identity_checked_at = timezone.now()
    _advance(req)
    _save(
        req,
        user,
        _("Identitas pemohon dipastikan")
        if verified
        else _("Identitas pemohon belum dapat dipastikan"),
    )
    return req


@transaction.atomic
def assign_request(user: Any, req: SubjectRequest, assignee: Any) -> SubjectRequest:
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_status(req, *c.OPEN_REQUEST)
    if (
        assignee is None
        or not assignee.is_active
        or not assignee.can(PCap.HANDLE)
        or not assignee.in_scope(_area(req))
    ):
        raise ValidationError(
            {"assignee": [_("Petugas ini tidak dapat menangani permintaan ini.")]}
        )
    req.assignee = assignee
    _save(
        req,
        user,
        _("Ditugaskan kepada %(name)s") % {"name": assignee.get_full_name() or assignee.username},
    )
    if assignee.pk != user.pk:
        tell(
            [assignee],
            "privacy_request",
            _("Permintaan subjek data untuk Anda: %(number)s") % {"number": req.number},
            _("Batas penyelesaian %(due)s.") % {"due": req.due_on.strftime("%d-%m-%Y")},
            _url(req),
            key=f"privacy-assign:{req.uid}:{assignee.pk}",
        )
    return req


def handlers_for(req: SubjectRequest):
    """The users a request may be assigned to: active holders of ``privacy.handle`` whose area
    holds the person's village."""
    from pandu.accounts.models import User
    from pandu.accounts.roles import roles_with
    from pandu.core.querysets import area_ancestors

    area = _area(req)
    return User.objects.filter(
        is_active=True,
        role__in=roles_with(PCap.HANDLE),
        area_id__in=[*area_ancestors(area), area],
    ).order_by("username")


@transaction.atomic
def record_export(user: Any, req: SubjectRequest, fmt: str) -> dict[str, Any]:
    """The person's data as the copy the access request asks for (``export.person_data``),
    logged as an export of that person. A copy that holds sensitive records is made only by
    someone who may read them."""
    from .. import export

    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_kind(req, c.RequestKind.ACCESS)
    _require_processing(req)
    if export.has_sensitive(req.person) and not user.can(Cap.VIEW_SENSITIVE):
        raise PermissionDenied(
            _(
                "Data orang ini memuat catatan sensitif: salinannya dibuat oleh petugas yang "
                "berwenang melihat data sensitif."
            )
        )
    data = export.person_data(req.person, request=req)
    req.exported_at = timezone.now()
    _save(req, user, _("Salinan data dibuat (%(fmt)s)") % {"fmt": fmt.upper()})
    record_access(
        user,
        AccessLog.Kind.EXPORT,
        req.person,
        detail=f"data subject copy {req.number} {fmt}",
        path=_url(req),
    )
    return data


@transaction.atomic
def apply_correction(user: Any, req: SubjectRequest) -> SubjectRequest:
    """Identity facts are corrected in the registry at once (its own action and rules, the
    request named in the history); welfare facts are handed to the village's proposers for the
    next proposal, whose field verification decides them."""
    from pandu.registry import actions as registry

    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_kind(req, c.RequestKind.CORRECTION)
    _require_processing(req)
    routed_names = verified_fields()
    done = set(req.applied_fields) | set(req.routed_fields)
    direct = {k: v for k, v in req.changes.items() if k not in routed_names and k not in done}
    routed = [k for k in req.changes if k in routed_names and k not in done]
    if not direct and not routed:
        raise ValidationError(_("Semua perbaikan sudah diterapkan atau diteruskan."))
    if direct:
        registry.update_person(
            user,
            req.person,
            decoded(direct),
            _("Perbaikan atas permintaan subjek data %(number)s") % {"number": req.number},
        )
        req.applied_fields = [*req.applied_fields, *direct]
    if routed:
        req.routed_fields = [*req.routed_fields, *routed]
        req.routed_at = timezone.now()
        labels = [str(req.person._meta.get_field(k).verbose_name) for k in routed]  # type: ignore[union-attr]
        tell(
            nearest_holders(Cap.PROPOSE, _area(req)),
            "privacy_correction",
            _("Perbaikan data diminta (%(number)s)") % {"number": req.number},
            _(
                "Seorang penduduk desa Anda meminta perbaikan: %(fields)s. Masukkan ke usulan "
                "pemutakhiran berikutnya untuk diverifikasi."
            )
            % {"fields": ", ".join(labels)},
            reverse("registry:person_detail", args=[req.person.uid]),
            key=f"privacy-route:{req.uid}:{','.join(routed)}",
        )
    _save(req, user, _("Perbaikan diterapkan/diteruskan"))
    return req


@transaction.atomic
def open_objection_review(user: Any, req: SubjectRequest, *, reason: str) -> SubjectRequest:
    """The objection to the family's targeting result becomes a human review: an appeal of the
    targeting run, received as an intake of the one-stop service (``targeting.file_appeal``)."""
    from pandu.targeting.actions import file_appeal

    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_kind(req, c.RequestKind.OBJECTION)
    _require_processing(req)
    if req.appeal_id is not None:
        raise ValidationError(_("Peninjauan sudah dibuka."))
    result = req.targeting_result
    if result is None:
        raise ValidationError(_("Tidak ada hasil penetapan sasaran yang dapat ditinjau."))
    reason = _text(reason, "reason", _("Tuliskan alasan keberatannya."))
    req.appeal = file_appeal(
        user,
        run=result.run,
        household=result.household,
        reason=_("%(reason)s (permintaan subjek data %(number)s)")
        % {"reason": reason, "number": req.number},
    )
    _save(req, user, _("Peninjauan oleh petugas dibuka"))
    return req


@transaction.atomic
def complete_request(user: Any, req: SubjectRequest, *, outcome: str) -> SubjectRequest:
    """The answer given to the requester; what the kind needs must be done first."""
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_processing(req)
    if req.needs_approval:
        raise ValidationError(_("Permintaan ini diselesaikan lewat usulan dan persetujuan."))
    if req.kind == c.RequestKind.ACCESS and req.exported_at is None:
        raise ValidationError(_("Buat salinan data (PDF atau JSON) sebelum menyelesaikan."))
    if req.kind == c.RequestKind.CORRECTION:
        left = set(req.changes) - set(req.applied_fields) - set(req.routed_fields)
        if left:
            raise ValidationError(_("Terapkan atau teruskan perbaikannya sebelum menyelesaikan."))
    if req.kind == c.RequestKind.OBJECTION and req.appeal_id is None:
        raise ValidationError(_("Buka peninjauan oleh petugas sebelum menyelesaikan."))
    req.outcome = _text(outcome, "outcome", _("Tuliskan jawaban kepada pemohon."))
    _close(req, user, c.RequestStatus.COMPLETED, _("Permintaan selesai"))
    return req


def _close(req: SubjectRequest, user: Any, status: str, reason: str) -> None:
    req.status = status
    req.closed_at = timezone.now()
    req.closed_by = user
    _save(req, user, reason)


@transaction.atomic
def refuse_request(user: Any, req: SubjectRequest, *, reason: str) -> SubjectRequest:
    """Refused with the reason the requester is told (identity not confirmed, a request the
    law does not give). An erasure or a restriction is refused through a proposal instead."""
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_status(req, *c.OPEN_REQUEST)
    if req.needs_approval:
        raise ValidationError(
            _("Penolakan permintaan ini diusulkan dan disetujui oleh orang kedua.")
        )
    req.refusal_reason = _text(reason, "reason", _("Tuliskan alasan penolakan."))
    _close(req, user, c.RequestStatus.REFUSED, _("Permintaan ditolak"))
    return req


@transaction.atomic
def withdraw_request(user: Any, req: SubjectRequest, *, reason: str) -> SubjectRequest:
    """The requester no longer asks for it."""
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_status(req, *c.OPEN_REQUEST)
    req.outcome = _text(reason, "reason", _("Tuliskan keterangan pembatalan."))
    _close(req, user, c.RequestStatus.WITHDRAWN, _("Dibatalkan pemohon"))
    return req


ALLOWED_OUTCOMES = {
    c.RequestKind.ERASURE: (c.Outcome.ERASE, c.Outcome.RESTRICT, c.Outcome.REFUSE),
    c.RequestKind.RESTRICTION: (c.Outcome.RESTRICT, c.Outcome.REFUSE),
}


def _holds_message(holds) -> str:
    return _(
        "Data ini tidak dapat dianonimkan karena wajib disimpan: %(holds)s Usulkan pembatasan "
        "pemrosesan, atau tolak dengan alasan tersebut."
    ) % {"holds": " ".join(h.label for h in holds)}


@transaction.atomic
def propose_outcome(user: Any, req: SubjectRequest, *, outcome: str, reason: str) -> SubjectRequest:
    """The handler's proposal for an erasure or a restriction. An erasure is refused while the
    law or a programme requires anything about the person to be kept (``holds``)."""
    _require(user, PCap.HANDLE, _area(req))
    req = _lock(req)
    _require_kind(req, *c.NEEDS_APPROVAL)
    _require_processing(req)
    if outcome not in ALLOWED_OUTCOMES[req.kind]:  # type: ignore[index]
        raise ValidationError({"outcome": [_("Pilih keputusan yang diusulkan.")]})
    reason = _text(reason, "reason", _("Tuliskan alasan usulan."))
    holds = holds_for(req.person)
    if outcome == c.Outcome.ERASE and holds:
        raise ValidationError({"outcome": [_holds_message(holds)]})
    req.proposed_outcome = outcome
    req.proposal_reason = reason
    req.proposed_by = user
    req.proposed_at = timezone.now()
    req.holds = [h.as_dict() for h in holds]
    req.status = c.RequestStatus.AWAITING_APPROVAL
    _save(req, user, _("Diusulkan: %(outcome)s") % {"outcome": req.get_proposed_outcome_display()})
    tell(
        [u for u in nearest_holders(PCap.APPROVE, _area(req)) if u.pk != user.pk],
        "privacy_approval",
        _("Persetujuan diperlukan: %(number)s") % {"number": req.number},
        _("Usulan: %(outcome)s.") % {"outcome": req.get_proposed_outcome_display()},
        _url(req),
        key=f"privacy-approve:{req.uid}:{req.proposed_at.isoformat()}",
    )
    return req


@transaction.atomic
def decide_proposal(
    user: Any, req: SubjectRequest, *, approve: bool, note: str = ""
) -> SubjectRequest:
    """A second person approves (and the outcome is carried out) or sends the proposal back
    with a note. The one who proposed may not approve; an erasure is checked again first."""
    from .anonymise import anonymise_person

    _require(user, PCap.APPROVE, _area(req))
    req = _lock(req)
    _require_status(req, c.RequestStatus.AWAITING_APPROVAL)
    if req.proposed_by_id == user.pk:
        raise ValidationError(_("Usulan ini disetujui oleh orang lain, bukan oleh pengusulnya."))
    proposer = req.proposed_by
    if not approve:
        req.approval_note = _text(note, "note", _("Tuliskan mengapa usulan dikembalikan."))
        req.status = c.RequestStatus.IN_PROGRESS
        req.proposed_outcome = ""
        _save(req, user, _("Usulan dikembalikan: %(note)s") % {"note": req.approval_note[:200]})
        tell(
            [proposer],
            "privacy_approval",
            _("Usulan dikembalikan: %(number)s") % {"number": req.number},
            req.approval_note[:300],
            _url(req),
            key=f"privacy-returned:{req.uid}:{timezone.now().isoformat()}",
        )
        return req
    outcome = req.proposed_outcome
    req.approved_by = user
    req.approved_at = timezone.now()
    req.approval_note = (note or "").strip()
    if outcome == c.Outcome.ERASE:
        holds = holds_for(req.person)
        if holds:
            raise ValidationError(_holds_message(holds))
        anonymise_person(user, req.person, req.proposal_reason, request=req)
        req.outcome = _("Data pribadi dianonimkan. %(reason)s") % {"reason": req.proposal_reason}
        _close(req, user, c.RequestStatus.COMPLETED, _("Disetujui: data dianonimkan"))
    elif outcome == c.Outcome.RESTRICT:
        restriction = Restriction(
            person=req.person,
            request=req,
            reason=req.proposal_reason,
            scope=_("Seluruh pemrosesan selain penyimpanan"),
            since=timezone.localdate(),
            created_by=user,
        )
        _save(restriction, user, _("Pembatasan pemrosesan (%(number)s)") % {"number": req.number})
        req.outcome = _("Pemrosesan data dibatasi. %(reason)s") % {"reason": req.proposal_reason}
        _close(req, user, c.RequestStatus.COMPLETED, _("Disetujui: pemrosesan dibatasi"))
    else:
        req.refusal_reason = req.proposal_reason
        _close(req, user, c.RequestStatus.REFUSED, _("Disetujui: permintaan ditolak"))
    tell(
        [proposer],
        "privacy_approval",
        _("Usulan disetujui: %(number)s") % {"number": req.number},
        "",
        _url(req),
        key=f"privacy-approved:{req.uid}",
    )
    return req


@transaction.atomic
def lift_restriction(user: Any, restriction: Restriction, *, reason: str) -> Restriction:
    _require(user, PCap.HANDLE, restriction.person.area_code)
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if restriction.lifted_at is not None:
        raise ValidationError(_("Pembatasan ini sudah dicabut."))
    restriction.lift_reason = _text(reason, "reason", _("Tuliskan alasan pencabutan."))
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = user
    _save(restriction, user, _("Pembatasan dicabut"))
    return restriction


def send_overdue_digest(now: datetime | None = None) -> dict[str, int]:
    """Daily: each assignee (or, for a request nobody holds, the nearest handlers of its area)
    is told of their overdue requests, by number only. Safe to run twice a day (the key)."""
    now = now or timezone.now()
    late = list(
        SubjectRequest.objects.overdue(now).select_related("person", "assignee").order_by("due_on")
    )
    by_user: dict[int, tuple[Any, list[SubjectRequest]]] = {}
    for req in late:
        people = [req.assignee] if req.assignee_id else nearest_holders(PCap.HANDLE, _area(req))
        for u in people:
            if u is None:
                continue
            by_user.setdefault(u.pk, (u, []))[1].append(req)
    day = timezone.localdate(now).isoformat()
    told = 0
    for u, reqs in by_user.values():
        told += len(
            tell(
                [u],
                "privacy_overdue",
                _("%(n)s permintaan subjek data lewat batas waktu") % {"n": len(reqs)},
                "\n".join(
                    _("%(number)s · batas %(due)s")
                    % {"number": r.number, "due": r.due_on.strftime("%d-%m-%Y")}
                    for r in reqs[:30]
                ),
                reverse("privacy:request_list") + "?overdue=1",
                key=f"privacy-overdue:{day}",
            )
        )
    return {"requests": len(late), "notifications": told}
