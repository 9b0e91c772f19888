"""Referrals to partner agencies: create, consent, attach, send, withdraw, the partner's moves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import choices as c
from ..models import Case, PartnerMembership, PartnerService, Referral, ReferralAttachment
from ..workdays import add_working_days
from ._common import (
    _event,
    _first_action,
    _require_work,
    _required_text,
    _save,
    check_upload,
    next_number,
    notify,
)

CHILD_AGE = 18
REFERRAL_FIELDS = ("need_area", "need", "done_so_far", "request")


def services_for(case: Case):
    """Active partner services answering one of the case's needs where the person lives."""
    needs = set(case.intake.need_list())
    qs = PartnerService.objects.filter(active=True, agency__active=True).select_related("agency")
    return [
        s
        for s in qs.prefetch_related("areas_served")
        if s.serves(case.area_code) and (not needs or needs & set(s.need_areas))
    ]


def create_referral(user, case: Case, service: PartnerService, **data) -> Referral:
    _require_work(user, case)
    if not service.active or not service.agency.active:
        raise ValidationError({"service": _("Layanan mitra ini tidak aktif.")})
    if not service.serves(case.area_code):
        raise ValidationError(
            {"service": _("Layanan ini tidak menjangkau tempat tinggal orang tersebut.")}
        )
    need_area = data.get("need_area") or ""
    if need_area not in c.NeedArea.values:
        raise ValidationError({"need_area": _("Pilih bidang kebutuhan.")})
    referral = Referral(
        case=case,
        service=service,
        agency=service.agency,
        area_code=case.area_code,
        need_area=need_area,
        need=_required_text(data.get("need", ""), "need"),
        done_so_far=(data.get("done_so_far") or "").strip(),
        request=_required_text(data.get("request", ""), "request"),
        created_by=user,
    )
    with transaction.atomic():
        _save(referral, user, _("Draf rujukan dibuat"))
        _event(
            case,
            user,
            c.EventKind.REFERRAL,
            _("Draf rujukan ke %(agency)s") % {"agency": service.agency.name},
            referral=referral,
            status=referral.status,
        )
    return referral


def _require_referral_work(user, referral: Referral, *statuses: str) -> None:
    _require_work(user, referral.case)
    if statuses and referral.status not in statuses:
        raise ValidationError(
            _("Rujukan berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"status": referral.get_status_display()}
        )


def update_referral(user, referral: Referral, **data) -> Referral:
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    for key in REFERRAL_FIELDS:
        if key in data:
            setattr(referral, key, (data[key] or "").strip())
    if referral.need_area not in c.NeedArea.values:
        raise ValidationError({"need_area": _("Pilih bidang kebutuhan.")})
    _required_text(referral.need, "need")
    _required_text(referral.request, "request")
    with transaction.atomic():
        _save(referral, user, _("Draf rujukan diubah"))
    return referral


def subject_age(case: Case) -> int:
    return case.intake.age()


def record_consent(
    user,
    referral: Referral,
    *,
    consent_by: str,
    method: str,
    guardian_name: str = "",
    guardian_relationship: str = "",
    share_nik: bool = False,
    note: str = "",
) -> Referral:
    """The person's (or, for a child, the guardian's) consent to share data with the partner."""
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    errors: dict[str, list] = {}
    if consent_by not in c.ConsentBy.values:
        errors["consent_by"] = [_("Pilih siapa yang memberi persetujuan.")]
    if method not in c.ConsentMethod.values:
        errors["method"] = [_("Pilih cara persetujuan.")]
    if subject_age(referral.case) < CHILD_AGE and consent_by != c.ConsentBy.GUARDIAN:
        errors["consent_by"] = [_("Untuk anak di bawah 18 tahun, persetujuan dari orang tua/wali.")]
    if consent_by == c.ConsentBy.GUARDIAN:
        if not guardian_name.strip():
            errors["guardian_name"] = [_("Isi nama orang tua/wali.")]
        if not guardian_relationship.strip():
            errors["guardian_relationship"] = [_("Isi hubungan wali dengan anak/orang tersebut.")]
    if errors:
        raise ValidationError(errors)
    referral.consent_given = True
    referral.consent_by = consent_by
    referral.consent_method = method
    referral.guardian_name = guardian_name.strip() if consent_by == c.ConsentBy.GUARDIAN else ""
    referral.guardian_relationship = (
        guardian_relationship.strip() if consent_by == c.ConsentBy.GUARDIAN else ""
    )
    referral.consent_share_nik = bool(share_nik)
    referral.consent_note = note.strip()[:300]
    referral.consent_recorded_by = user
    referral.consent_recorded_at = timezone.now()
    with transaction.atomic():
        _save(referral, user, _("Persetujuan dicatat"))
        _event(
            referral.case,
            user,
            c.EventKind.REFERRAL,
            _("Persetujuan dicatat (%(by)s, %(method)s)%(nik)s")
            % {
                "by": c.ConsentBy(consent_by).label,
                "method": c.ConsentMethod(method).label,
                "nik": _("; NIK boleh dibagikan") if share_nik else "",
            },
            referral=referral,
            status=referral.status,
        )
    return referral


def add_referral_attachment(user, referral: Referral, *, title: str, file) -> ReferralAttachment:
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    content_type = check_upload(file)
    attachment = ReferralAttachment(
        referral=referral,
        title=_required_text(title, "title"),
        content_type=content_type,
        uploaded_by=user,
    )
    attachment.file = file
    with transaction.atomic():
        attachment.save()
        _event(
            referral.case,
            user,
            c.EventKind.REFERRAL,
            _("Lampiran: %(title)s") % {"title": attachment.title},
            referral=referral,
            status=referral.status,
        )
    return attachment


def send_referral(user, referral: Referral) -> Referral:
    """Send the letter. Refused until consent is recorded: no data leaves without it."""
    _require_referral_work(user, referral, c.ReferralStatus.DRAFT)
    if not referral.consent_given:
        raise ValidationError(
            _(
                "Rujukan belum dapat dikirim: catat dahulu persetujuan yang bersangkutan (atau "
                "orang tua/wali untuk anak) untuk membagikan datanya kepada mitra."
            ),
            code="no_consent",
        )
    case = referral.case
    intake = case.intake
    now = timezone.now()
    with transaction.atomic():
        regency = case.service_point.regency_code.replace(".", "")
        serial = next_number("RUJ", regency, now.year)
        referral.number = f"RUJ-{regency}-{now.year}-{serial:06d}"
        referral.subject_name = intake.name
        referral.subject_age = intake.age()
        referral.subject_sex = intake.sex
        referral.subject_phone = intake.phone
        nik = intake.person.nik if intake.person is not None else intake.nik
        referral.subject_nik = nik if referral.consent_share_nik else ""
        referral.status = c.ReferralStatus.SENT
        referral.sent_at = now
        referral.sent_by = user
        referral.respond_due = add_working_days(
            timezone.localdate(now), referral.service.respond_days
        )
        _save(referral, user, _("Rujukan dikirim"))
        _first_action(intake, now)
        _event(
            case,
            user,
            c.EventKind.REFERRAL,
            _("Dikirim ke %(agency)s, %(number)s")
            % {
                "agency": referral.agency.name,
                "number": referral.number,
            },
            referral=referral,
            status=referral.status,
        )
        partners = [
            m.user
            for m in PartnerMembership.objects.filter(
                agency=referral.agency, active=True
            ).select_related("user")
        ]
        notify(
            partners,
            kind="referral_received",
            title=_("Rujukan baru: %(number)s") % {"number": referral.number},
            url=reverse("services:inbox_detail", args=[referral.uid]),
        )
    return referral


def withdraw_referral(user, referral: Referral, reason: str) -> Referral:
    _require_referral_work(
        user,
        referral,
        c.ReferralStatus.DRAFT,
        c.ReferralStatus.SENT,
        c.ReferralStatus.RECEIVED,
        c.ReferralStatus.ACCEPTED,
        c.ReferralStatus.IN_SERVICE,
    )
    reason = _required_text(reason, "reason", _("Tuliskan alasan menarik rujukan."))
    was_sent = referral.status != c.ReferralStatus.DRAFT
    referral.status = c.ReferralStatus.WITHDRAWN
    referral.withdraw_reason = reason
    referral.finished_at = timezone.now()
    with transaction.atomic():
        # The reason is kept encrypted (the referral, the case trail), not in the change
        # history's plain reason column (decision 0019).
        _save(referral, user, _("Rujukan ditarik"))
        _event(
            referral.case, user, c.EventKind.REFERRAL, reason, referral=referral, status="withdrawn"
        )
        if was_sent:
            notify(
                [
                    m.user
                    for m in PartnerMembership.objects.filter(agency=referral.agency, active=True)
                ],
                kind="referral_withdrawn",
                title=_("Rujukan %(number)s ditarik") % {"number": referral.number},
                url=reverse("services:inbox_detail", args=[referral.uid]),
            )
    return referral


# Partner side: only a member of the referral's agency, only on a sent referral.

PARTNER_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "receive": (frozenset({c.ReferralStatus.SENT}), c.ReferralStatus.RECEIVED),
    "accept": (
        frozenset({c.ReferralStatus.SENT, c.ReferralStatus.RECEIVED}),
        c.ReferralStatus.ACCEPTED,
    ),
    "decline": (
        frozenset({c.ReferralStatus.SENT, c.ReferralStatus.RECEIVED}),
        c.ReferralStatus.DECLINED,
    ),
    "start": (frozenset({c.ReferralStatus.ACCEPTED}), c.ReferralStatus.IN_SERVICE),
    "update": (
        frozenset({c.ReferralStatus.ACCEPTED, c.ReferralStatus.IN_SERVICE}),
        "",
    ),
    "complete": (
        frozenset({c.ReferralStatus.ACCEPTED, c.ReferralStatus.IN_SERVICE}),
        c.ReferralStatus.COMPLETED,
    ),
    "return": (
        frozenset(
            {c.ReferralStatus.RECEIVED, c.ReferralStatus.ACCEPTED, c.ReferralStatus.IN_SERVICE}
        ),
        c.ReferralStatus.RETURNED,
    ),
}


def partner_move(user, referral: Referral, move: str, text: str = "") -> Referral:
    """A partner's answer: receive, accept, decline (reason), start, update (note), complete
    (result) or return (reason)."""
    if move not in PARTNER_MOVES:
        raise ValidationError(_("Langkah tidak dikenal."))
    if not Referral.objects.inbox_for(user).filter(pk=referral.pk).exists():
        raise PermissionDenied(_("Rujukan ini tidak ditujukan kepada instansi Anda."))
    allowed, target = PARTNER_MOVES[move]
    if referral.status not in allowed:
        raise ValidationError(
            _("Rujukan berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"status": referral.get_status_display()}
        )
    text = (text or "").strip()
    needs_text = {
        "decline": _("Tuliskan alasan penolakan."),
        "complete": _("Tuliskan hasil layanan."),
        "return": _("Tuliskan alasan pengembalian."),
        "update": _("Tuliskan perkembangan layanan."),
    }
    if move in needs_text and not text:
        raise ValidationError({"text": needs_text[move]})
    now = timezone.now()
    today = timezone.localdate(now)
    if move == "receive":
        referral.received_at = now
    elif move == "accept":
        referral.received_at = referral.received_at or now
        referral.responded_at = now
        referral.responded_by = user
        referral.complete_due = add_working_days(today, referral.service.complete_days)
    elif move == "decline":
        referral.received_at = referral.received_at or now
        referral.responded_at = now
        referral.responded_by = user
        referral.decline_reason = text
        referral.finished_at = now
    elif move == "start":
        referral.started_at = now
    elif move == "complete":
        referral.started_at = referral.started_at or now
        referral.result = text
        referral.finished_at = now
    elif move == "return":
        referral.return_reason = text
        referral.finished_at = now
    if move in ("accept", "start", "update") and text:
        referral.partner_note = text
    if target:
        referral.status = target
    with transaction.atomic():
        # The partner's text is in the referral's encrypted fields and the case trail; the
        # change history's plain reason names the step only (decision 0019).
        _save(referral, user, str(c.ReferralStatus(referral.status).label))
        label = str(c.ReferralStatus(target).label) if target else _("Perkembangan")
        _event(
            referral.case,
            user,
            c.EventKind.REFERRAL,
            "{}: {}{}".format(referral.agency.name, label, (" · " + text) if text else ""),
            referral=referral,
            status=referral.status,
        )
        if move != "receive":
            # A sensitive case's notification names neither the agency nor what it answered.
            sensitive = referral.case.sensitive
            notify(
                [referral.case.assigned_to],
                kind="referral_answer",
                title=(
                    _("Rujukan %(number)s: %(status)s")
                    if sensitive
                    else _("%(agency)s: rujukan %(number)s %(status)s")
                )
                % {
                    "agency": referral.agency.name,
                    "number": referral.number,
                    "status": label.lower(),
                },
                body="" if sensitive else text,
                url=reverse("services:case_detail", args=[referral.case.uid]),
            )
    return referral
