"""The breach register: an incident recorded as soon as it is known (its 3×24-hour clock starts
at ``discovered_at``), updated as it is contained, each notice sent recorded, and closed. The
administrators, the data protection officer and the head are told at once, again when under a
day is left, and when the clock has run out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import choices as c
from .. import deadlines
from ..capabilities import PCap
from ..models import Breach, BreachNotice
from ._common import _not_future, _require, _save, _text, nearest_holders, tell

FIELDS = ("title", "occurred_at", "description", "categories", "people_affected",
          "people_estimated", "containment")  # fmt: skip


def _url(breach: Breach) -> str:
    return reverse("privacy:breach_detail", args=[breach.uid])


def _who_is_told(area_code: str, *, but: Any = None) -> list:
    people = {u.pk: u for u in nearest_holders(PCap.BREACH, area_code)}
    people.update({u.pk: u for u in nearest_holders(PCap.BREACH_VIEW, area_code)})
    return [u for u in people.values() if but is None or u.pk != but.pk]


def _clean(data: dict[str, Any], discovered_at: datetime | None) -> dict[str, Any]:
    errors: dict[str, list] = {}
    out = dict(data)
    for name in ("title", "description"):
        if name in data:
            try:
                out[name] = _text(data[name], name)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "categories" in data:
        cats = [k for k in data["categories"] or [] if k in c.DataCategory.values]
        if not cats or len(cats) != len(data["categories"] or []):
            errors["categories"] = [_("Pilih jenis data yang terdampak.")]
        out["categories"] = cats
        out["specific_data"] = bool(set(cats) & c.SPECIFIC)
    if "people_affected" in data:
        n = data["people_affected"]
        if not isinstance(n, int) or n < 0:
            errors["people_affected"] = [_("Isi jumlah orang terdampak (0 bila belum diketahui).")]
    occurred = data.get("occurred_at")
    if occurred is not None:
        try:
            _not_future(occurred, "occurred_at")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if discovered_at is not None and occurred > discovered_at:
            errors["occurred_at"] = [_("Waktu kejadian tidak boleh sesudah diketahui.")]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def record_breach(
    user: Any,
    *,
    area_code: str,
    discovered_at: datetime,
    title: str,
    description: str,
    categories: list[str],
    people_affected: int,
    people_estimated: bool = False,
    occurred_at: datetime | None = None,
    containment: str = "",
) -> Breach:
    _require(user, PCap.BREACH, area_code or None)
    if discovered_at is None:
        raise ValidationError({"discovered_at": [_("Isi kapan kejadian ini diketahui.")]})
    _not_future(discovered_at, "discovered_at")
    values = _clean(
        {
            "title": title,
            "description": description,
            "categories": categories,
            "people_affected": people_affected,
            "people_estimated": bool(people_estimated),
            "occurred_at": occurred_at,
            "containment": (containment or "").strip(),
        },
        discovered_at,
    )
    breach = Breach(
        area_code=area_code,
        discovered_at=discovered_at,
        notify_due=deadlines.notify_due(discovered_at),
        recorded_by=user,
        **values,
    )
    _save(breach, user, _("Insiden dicatat"))
    breach.number = f"INS-{timezone.localdate(discovered_at).year}-{breach.pk:04d}"
    _save(breach, user, _("Nomor insiden"), update_fields=["number"])
    tell(
        _who_is_told(area_code),
        "privacy_breach",
        _("Insiden kebocoran data: %(number)s") % {"number": breach.number},
        _("Subjek data dan lembaga wajib diberi tahu paling lambat %(due)s.")
        % {"due": timezone.localtime(breach.notify_due).strftime("%d-%m-%Y %H:%M")},
        _url(breach),
        key=f"privacy-breach:{breach.uid}",
    )
    return breach


@transaction.atomic
def update_breach(user: Any, breach: Breach, changes: dict[str, Any], reason: str = "") -> Breach:
    """What became known since: people affected, categories, containment; ``status``
    ``contained`` when it is under control."""
    _require(user, PCap.BREACH, breach.area_code)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if breach.status == c.BreachStatus.CLOSED:
        raise ValidationError(_("Insiden yang sudah ditutup tidak dapat diubah."))
    allowed = set(FIELDS) | {"status"}
    values = _clean({k: v for k, v in changes.items() if k in allowed}, breach.discovered_at)
    if "status" in values and values["status"] not in (
        c.BreachStatus.OPEN,
        c.BreachStatus.CONTAINED,
    ):
        raise ValidationError({"status": [_("Tutup insiden lewat tombol penutupan.")]})
    for name, value in values.items():
        setattr(breach, name, value)
    _save(breach, user, reason or _("Insiden diperbarui"))
    return breach


@transaction.atomic
def record_notice(
    user: Any,
    breach: Breach,
    *,
    recipient: str,
    method: str,
    sent_at: datetime,
    summary: str,
    reference: str = "",
    recipients_count: int | None = None,
) -> BreachNotice:
    """A notice sent (a letter to the authority, messages to the people affected): the first of
    each of the two stops its part of the clock."""
    _require(user, PCap.BREACH, breach.area_code)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    errors: dict[str, list] = {}
    if recipient not in c.NoticeRecipient.values:
        errors["recipient"] = [_("Pilih kepada siapa pemberitahuan dikirim.")]
    if method not in c.NoticeMethod.values:
        errors["method"] = [_("Pilih cara pemberitahuan.")]
    if sent_at is None:
        errors["sent_at"] = [_("Isi waktu pengiriman.")]
    else:
        try:
            _not_future(sent_at, "sent_at")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if sent_at < breach.discovered_at:
            errors["sent_at"] = [_("Waktu pengiriman tidak boleh sebelum insiden diketahui.")]
    if recipients_count is not None and recipients_count < 0:
        errors["recipients_count"] = [_("Jumlah penerima tidak boleh negatif.")]
    try:
        summary = _text(summary, "summary", _("Tuliskan ringkasan isi pemberitahuan."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    notice = BreachNotice.objects.create(
        breach=breach,
        recipient=recipient,
        method=method,
        sent_at=sent_at,
        summary=summary,
        reference=(reference or "").strip()[:100],
        recipients_count=recipients_count,
        recorded_by=user,
    )
    changed = False
    if recipient == c.NoticeRecipient.SUBJECTS and (
        breach.subjects_notified_at is None or sent_at < breach.subjects_notified_at
    ):
        breach.subjects_notified_at, changed = sent_at, True
    if recipient == c.NoticeRecipient.AUTHORITY and (
        breach.authority_notified_at is None or sent_at < breach.authority_notified_at
    ):
        breach.authority_notified_at, changed = sent_at, True
    if changed:
        _save(
            breach,
            user,
            _("Pemberitahuan kepada %(to)s dicatat") % {"to": notice.get_recipient_display()},
        )
    return notice


@transaction.atomic
def close_breach(user: Any, breach: Breach, *, note: str) -> Breach:
    _require(user, PCap.BREACH, breach.area_code)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if breach.status == c.BreachStatus.CLOSED:
        raise ValidationError(_("Insiden ini sudah ditutup."))
    if not breach.fully_notified:
        raise ValidationError(
            _("Catat dahulu pemberitahuan kepada subjek data dan kepada lembaga.")
        )
    breach.closing_note = _text(note, "note", _("Tuliskan catatan penutupan."))
    breach.status = c.BreachStatus.CLOSED
    breach.closed_at = timezone.now()
    _save(breach, user, _("Insiden ditutup"))
    return breach


def breach_reminders(now: datetime | None = None) -> dict[str, int]:
    """Hourly: for each breach not yet fully notified, one reminder when under a day is left and
    one when the clock has run out (each told once: the key)."""
    now = now or timezone.now()
    counts = {"soon": 0, "overdue": 0, "notifications": 0}
    for breach in Breach.objects.exclude(status=c.BreachStatus.CLOSED).order_by("notify_due"):
        if breach.fully_notified:
            continue
        stage = deadlines.state(breach.notify_due, done=False, now=now)
        if stage not in ("soon", "overdue"):
            continue
        counts[stage] += 1
        if stage == "soon":
            title = _("Sisa kurang dari 1 hari: pemberitahuan insiden %(number)s")
        else:
            title = _("Lewat batas 3×24 jam: pemberitahuan insiden %(number)s")
        counts["notifications"] += len(
            tell(
                _who_is_told(breach.area_code),
                "privacy_breach",
                title % {"number": breach.number},
                deadlines.left_text(breach.notify_due, done=False, now=now),
                _url(breach),
                key=f"privacy-breach-{stage}:{breach.uid}",
            )
        )
    return counts
