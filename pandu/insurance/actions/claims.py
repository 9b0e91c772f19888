"""Claims: filed with documents, checked automatically against the scheme's terms, selected
for review by rules (above a threshold, a random share, a finding to look at) as openIMIS does,
decided by a second person, paid and receipted. One event is claimed once; a death claim ends
the membership when paid and can open a one-stop service case for the family.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can
from pandu.core.history import stamp

from .. import clock
from ..choices import (
    HOLDING_CLAIM,
    ClaimStatus,
    DocumentKind,
    EndReason,
    EventType,
    MemberStatus,
    PaymentMethod,
)
from ..models import Claim, ClaimDocument, CoverPeriod, Member
from ..rules import Finding, check_claim, missing_documents, review_reasons
from ._common import a_date, next_number, raise_if, require_work, rupiah, text

#: What a claim document may be: a scan or a photo of the letter.
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "webp")


def _store_documents(user: Any, claim: Claim, documents: Any) -> None:
    from pandu.core.uploads import check_upload

    for kind, upload in documents or ():
        if kind not in DocumentKind.values:
            raise ValidationError({"documents": [_("Pilih jenis dokumen.")]})
        check_upload(upload, kinds=DOCUMENT_KINDS)
        ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            file=upload,
            file_name=text(getattr(upload, "name", "dokumen"), 200),
            uploaded_by=user,
        )


@transaction.atomic
def file_claim(
    user: Any,
    membership: Member,
    *,
    event_type: str,
    event_date: date | None,
    amount_claimed: Any = None,
    description: str = "",
    documents: Any = (),
) -> Claim:
    """File and check a claim. A rule the review cannot overrule (an event before enrolment,
    during a lapse or inside the waiting period; an event the scheme does not cover) rejects it
    at once with the findings; otherwise it goes to review or is approved."""
    require_work(user, membership)
    membership = (
        Member.objects.select_for_update()
        .select_related("scheme", "provider")
        .get(pk=membership.pk)
    )
    errors: dict[str, list[str]] = {}
    if event_type not in EventType.values:
        errors["event_type"] = [_("Pilih peristiwa: sakit, kecelakaan atau meninggal dunia.")]
    day = a_date(event_date, "event_date", _("Tanggal peristiwa"), errors)
    raise_if(errors)
    assert day is not None
    today = clock.today()
    if membership.status == MemberStatus.ENDED and day > membership.status_on:
        raise ValidationError(
            {"event_date": [_("Peristiwa terjadi setelah kepesertaan berakhir.")]}
        )
    if Claim.objects.filter(
        membership=membership, event_type=event_type, event_date=day, status__in=HOLDING_CLAIM
    ).exists() or (
        event_type == EventType.DEATH
        and Claim.objects.filter(
            membership=membership, event_type=EventType.DEATH, status__in=HOLDING_CLAIM
        ).exists()
    ):
        raise ValidationError(
            {
                "event_date": [
                    _("Peristiwa ini sudah pernah diklaim; satu peristiwa hanya diklaim sekali.")
                ]
            }
        )
    terms = membership.scheme.terms_on(day) or membership.scheme.terms_on(membership.enrolled_on)
    benefit = terms.benefit(event_type) if terms is not None else 0
    if amount_claimed in (None, ""):
        amount = benefit
    else:
        value = rupiah(amount_claimed, "amount_claimed", errors)
        raise_if(errors)
        amount = int(value or 0)
    earlier = Claim.objects.filter(
        membership=membership,
        event_type=EventType.ILLNESS,
        event_date__year=day.year,
        status__in=HOLDING_CLAIM,
    ).count()
    claim = Claim(
        membership=membership,
        provider=membership.provider,
        area_code=membership.area_code,
        event_type=event_type,
        event_date=day,
        filed_on=today,
        description=text(description, 4000),
        amount_claimed=amount,
        benefit=benefit,
        filed_by=user,
    )
    for _attempt in range(3):
        claim.number = next_number(
            Claim, "number", f"KLM-{membership.provider.code}-{today:%Y}-", 5
        )
        stamp(claim, user, _("Klaim diajukan"))
        try:
            with transaction.atomic():
                claim.save()
            break
        except IntegrityError as exc:
            if "once" in str(exc).lower() or "death" in str(exc).lower():
                raise ValidationError(
                    {
                        "event_date": [
                            _(
                                "Peristiwa ini sudah pernah diklaim; "
                                "satu peristiwa hanya diklaim sekali."
                            )
                        ]
                    }
                ) from None
            claim.pk = None
    _store_documents(user, claim, documents)
    _check(user, claim, terms, earlier)
    return claim


def _check(user: Any, claim: Claim, terms: Any, earlier: int) -> None:
    kinds = set(claim.documents.values_list("kind", flat=True))
    findings, refused = check_claim(
        claim.membership,
        terms,
        event_type=claim.event_type,
        event_date=claim.event_date,
        filed_on=claim.filed_on,
        amount_claimed=int(claim.amount_claimed),
        document_kinds=kinds,
        earlier_illness_claims=earlier,
    )
    claim.findings = [f.as_dict() for f in findings]
    if refused:
        claim.status = ClaimStatus.REJECTED
        claim.decided_at = timezone.now()
        claim.decision_reason = "; ".join(f.message for f in findings if not f.passed)[:500]
        stamp(claim, user, _("Klaim ditolak pemeriksaan otomatis"))
    else:
        payable = min(int(claim.amount_claimed), int(claim.benefit))
        reasons = review_reasons(claim.uid, payable, terms, findings)
        claim.review_reasons = reasons
        if reasons:
            claim.status = ClaimStatus.REVIEW
            stamp(claim, user, _("Klaim lolos pemeriksaan otomatis dan menunggu tinjauan"))
        else:
            claim.status = ClaimStatus.APPROVED
            claim.amount_approved = payable
            claim.decided_at = timezone.now()
            claim.decision_reason = str(_("Disetujui otomatis: semua pemeriksaan terpenuhi."))
            stamp(claim, user, _("Klaim disetujui otomatis"))
    claim.save()


@transaction.atomic
def add_claim_document(user: Any, claim: Claim, *, kind: str, file: Any) -> ClaimDocument:
    require_work(user, claim)
    if claim.status not in (ClaimStatus.REVIEW, ClaimStatus.APPROVED):
        raise ValidationError(_("Klaim ini sudah selesai; dokumen tidak dapat ditambah."))
    _store_documents(user, claim, [(kind, file)])
    document = claim.documents.order_by("-id").first()
    assert document is not None
    # The documents finding is looked at again.
    kinds = set(claim.documents.values_list("kind", flat=True))
    missing = missing_documents(claim.event_type, kinds)
    findings = [f for f in claim.findings if f.get("code") != "documents"]
    findings.append(
        Finding(
            "documents",
            not missing,
            str(_("Dokumen wajib lengkap."))
            if not missing
            else str(_("Dokumen wajib belum ada: %(names)s.") % {"names": ", ".join(missing)}),
        ).as_dict()
    )
    claim.findings = findings
    stamp(claim, user, _("Dokumen klaim ditambahkan"))
    claim.save()
    return document


@transaction.atomic
def decide_claim(
    user: Any, claim: Claim, *, approve: bool, amount: Any = None, reason: str = ""
) -> Claim:
    """A reviewer's decision; the person who filed the claim does not decide it."""
    require_work(user, claim)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.REVIEW:
        raise ValidationError(_("Klaim ini tidak sedang menunggu tinjauan."))
    if claim.filed_by_id == user.pk:
        raise ValidationError(_("Klaim diputuskan oleh petugas lain, bukan yang mengajukannya."))
    errors: dict[str, list[str]] = {}
    reason = text(reason, 500)
    if approve:
        missing = missing_documents(
            claim.event_type, set(claim.documents.values_list("kind", flat=True))
        )
        if missing:
            errors["approve"] = [
                _("Dokumen wajib belum ada: %(names)s.") % {"names": ", ".join(missing)}
            ]
        if amount in (None, ""):
            value = min(int(claim.amount_claimed), int(claim.benefit))
        else:
            checked = rupiah(amount, "amount", errors)
            value = int(checked or 0)
            if checked is not None and value > int(claim.benefit):
                errors["amount"] = [
                    _("Nilai disetujui tidak boleh melebihi santunan menurut ketentuan.")
                ]
    else:
        value = 0
        if not reason:
            errors["reason"] = [_("Tuliskan alasan penolakan.")]
    raise_if(errors)
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.amount_approved = value if approve else None
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim.decision_reason = reason or str(_("Disetujui setelah ditinjau."))
    stamp(claim, user, _("Klaim disetujui") if approve else _("Klaim ditolak"))
    claim.save()
    return claim


@transaction.atomic
def pay_claim(
    user: Any,
    claim: Claim,
    *,
    paid_on: date | None,
    method: str,
    reference: str = "",
    paid_to: str = "",
) -> Claim:
    """The benefit is paid: a receipt number; a death claim ends the membership."""
    require_work(user, claim)
    claim = (
        Claim.objects.select_for_update().select_related("membership__provider").get(pk=claim.pk)
    )
    if claim.status != ClaimStatus.APPROVED:
        raise ValidationError(_("Hanya klaim yang disetujui yang dapat dibayar."))
    errors: dict[str, list[str]] = {}
    day = a_date(paid_on, "paid_on", _("Tanggal dibayar"), errors)
    if method not in PaymentMethod.values:
        errors["method"] = [_("Pilih cara bayar: tunai atau transfer.")]
    if day is not None and day < claim.filed_on:
        errors["paid_on"] = [_("Tanggal dibayar tidak boleh sebelum klaim diajukan.")]
    if claim.event_type == EventType.DEATH and not text(paid_to, 150):
        errors["paid_to"] = [_("Tuliskan nama ahli waris yang menerima santunan.")]
    raise_if(errors)
    assert day is not None
    claim.status = ClaimStatus.PAID
    claim.paid_on = day
    claim.paid_by = user
    claim.payment_method = method
    claim.payment_reference = text(reference, 60)
    claim.paid_to = text(paid_to, 150) or claim.membership.person.full_name
    provider = claim.membership.provider
    claim.receipt_number = next_number(Claim, "receipt_number", f"KWK-{provider.code}-{day:%Y}-", 5)
    stamp(claim, user, _("Santunan klaim dibayar"))
    claim.save()
    if claim.event_type == EventType.DEATH:
        membership = Member.objects.select_for_update().get(pk=claim.membership_id)
        if membership.status != MemberStatus.ENDED:
            membership.status = MemberStatus.ENDED
            membership.status_on = claim.event_date
            membership.end_reason = EndReason.DEATH
            membership.end_note = str(
                _("Klaim meninggal dunia %(number)s") % {"number": claim.number}
            )
            stamp(membership, user, _("Kepesertaan berakhir: peserta meninggal dunia"))
            membership.save()
            CoverPeriod.objects.filter(membership=membership, end__isnull=True).update(
                end=claim.event_date
            )
        _tell_caseworkers(claim)
    return claim


def _tell_caseworkers(claim: Claim) -> None:
    """The area's caseworkers hear of a member's death, so the family can be offered help."""
    from django.urls import reverse

    from pandu.notifications.actions import notify
    from pandu.notifications.queries import nearest_holders
    from pandu.services.capabilities import SCap

    workers = [
        u for u in nearest_holders(SCap.CASE_WORK, claim.area_code) if user_can(u, "insurance.view")
    ]
    notify(
        workers,
        "askesos_meninggal",
        _("Peserta Askesos %(number)s meninggal dunia") % {"number": claim.membership.number},
        _("Santunan sudah dibayar. Keluarganya mungkin memerlukan layanan terpadu."),
        reverse("insurance:claim_detail", args=[claim.uid]),
        key=f"askesos-meninggal-{claim.uid}",
    )


@transaction.atomic
def open_family_case(user: Any, claim: Claim, *, service_point: Any = None) -> Any:
    """A one-stop service intake for the family of a member who died: the household's other
    members may need help (a survivor's income, children's schooling, civil documents)."""
    from pandu.services import choices as sc
    from pandu.services.actions import Subject, create_intake
    from pandu.services.capabilities import SCap
    from pandu.services.models import ServicePoint

    if not user_can(user, SCap.INTAKE):
        raise PermissionDenied
    if not Claim.objects.visible_to(user).filter(pk=claim.pk).exists():
        raise PermissionDenied
    if claim.event_type != EventType.DEATH or claim.status not in (
        ClaimStatus.APPROVED,
        ClaimStatus.PAID,
    ):
        raise ValidationError(
            _("Layanan keluarga dibuka dari klaim meninggal dunia yang disetujui.")
        )
    if claim.intake_id:
        raise ValidationError(_("Layanan untuk keluarga ini sudah dibuka."))
    household = claim.membership.household
    subject_person = None
    if household is not None:
        subject_person = (
            household.members.filter(status="active")
            .exclude(pk=claim.membership.person_id)
            .order_by("relationship")
            .first()
        )
    if subject_person is None:
        raise ValidationError(_("Tidak ada anggota keluarga aktif lain di registri."))
    if service_point is None:
        points = ServicePoint.objects.visible_to(user).filter(active=True)
        candidates = [p for p in points if claim.area_code.startswith(p.area_id)]
        if not candidates:
            raise ValidationError(
                _("Tidak ada titik layanan Anda yang melayani wilayah keluarga ini.")
            )
        service_point = max(candidates, key=lambda p: len(p.area_id))
    intake = create_intake(
        user,
        service_point=service_point,
        kind=sc.IntakeKind.REQUEST,
        channel=sc.Channel.WALK_IN,
        subject=Subject(person=subject_person),
        needs=[(sc.NeedArea.PROTECTION, _("Keluarga peserta Askesos yang meninggal dunia"))],
        description=_(
            "Peserta Askesos %(number)s meninggal dunia (klaim %(claim)s); "
            "keluarga perlu dinilai kebutuhannya."
        )
        % {"number": claim.membership.number, "claim": claim.number},
        confirm_duplicate=True,
    )
    claim.intake = intake
    stamp(claim, user, _("Layanan terpadu dibuka untuk keluarga"))
    claim.save()
    return intake
