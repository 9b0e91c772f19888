"""Agreements (perjanjian kerja sama) with partners: create, attach, extend, terminate."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.regions.models import Area

from ..capabilities import SCap
from ..models import Agreement, AgreementExtension
from ._common import _not_future, _require, _required_text, _save, _today, add_years, check_upload

NOTICE_DAYS = 30


def create_agreement(user, *, document=None, **data) -> Agreement:
    area: Area = data["area"]
    _require(user, SCap.SETUP_MANAGE, area.code)
    term = int(data.get("term_years") or 5)
    if term < 1:
        raise ValidationError({"term_years": _("Jangka waktu sekurang-kurangnya 1 tahun.")})
    starts_on = data.get("starts_on") or data["signed_on"]
    if starts_on < data["signed_on"]:
        raise ValidationError(
            {"starts_on": _("Tanggal mulai berlaku tidak boleh sebelum penandatanganan.")}
        )
    _not_future(data["signed_on"], "signed_on")
    agreement = Agreement(
        number=_required_text(data.get("number", ""), "number"),
        title=_required_text(data.get("title", ""), "title"),
        agency=data.get("agency"),
        parties=_required_text(data.get("parties", ""), "parties"),
        area=area,
        signed_on=data["signed_on"],
        starts_on=starts_on,
        term_years=term,
        ends_on=add_years(starts_on, term) - timedelta(days=1),
    )
    if document is not None:
        check_upload(document, pdf_only=True)
        agreement.document = document
    with transaction.atomic():
        _save(agreement, user, _("Perjanjian dicatat"))
    return agreement


def attach_agreement_document(user, agreement: Agreement, document) -> Agreement:
    _require(user, SCap.SETUP_MANAGE, agreement.area_id)
    check_upload(document, pdf_only=True)
    agreement.document = document
    with transaction.atomic():
        _save(agreement, user, _("Dokumen perjanjian dilampirkan"))
    return agreement


def extend_agreement(
    user,
    agreement: Agreement,
    *,
    signed_on: date,
    years: int | None = None,
    new_end: date | None = None,
    reference: str = "",
) -> AgreementExtension:
    _require(user, SCap.SETUP_MANAGE, agreement.area_id)
    if agreement.terminated_on is not None:
        raise ValidationError(_("Perjanjian yang sudah diakhiri tidak dapat diperpanjang."))
    _not_future(signed_on, "signed_on")
    if new_end is None:
        new_end = add_years(agreement.ends_on + timedelta(days=1), years or agreement.term_years)
        new_end -= timedelta(days=1)
    if new_end <= agreement.ends_on:
        raise ValidationError(
            {"new_end": _("Tanggal berakhir yang baru harus sesudah tanggal berakhir sekarang.")}
        )
    with transaction.atomic():
        extension = AgreementExtension.objects.create(
            agreement=agreement,
            signed_on=signed_on,
            reference=reference,
            previous_end=agreement.ends_on,
            new_end=new_end,
            recorded_by=user,
        )
        agreement.ends_on = new_end
        _save(agreement, user, _("Perjanjian diperpanjang"))
    return extension


def terminate_agreement(
    user,
    agreement: Agreement,
    *,
    notice_on: date,
    terminated_on: date,
    reason: str,
    notice_reference: str = "",
) -> Agreement:
    """End an agreement early: only with written notice at least 30 calendar days ahead."""
    _require(user, SCap.SETUP_MANAGE, agreement.area_id)
    if agreement.terminated_on is not None:
        raise ValidationError(_("Perjanjian ini sudah diakhiri."))
    if agreement.ends_on < _today():
        raise ValidationError(_("Perjanjian ini sudah berakhir dengan sendirinya."))
    reason = _required_text(reason, "reason", _("Tuliskan alasan pengakhiran."))
    _not_future(notice_on, "notice_on")
    if terminated_on > agreement.ends_on:
        raise ValidationError(
            {"terminated_on": _("Tanggal pengakhiran melewati masa berlaku perjanjian.")}
        )
    given = (terminated_on - notice_on).days
    if given < NOTICE_DAYS:
        earliest = notice_on + timedelta(days=NOTICE_DAYS)
        raise ValidationError(
            {
                "terminated_on": _(
                    "Pengakhiran lebih awal memerlukan pemberitahuan tertulis sekurang-kurangnya "
                    "30 hari kalender sebelumnya; pemberitahuan ini baru %(given)s hari. Dengan "
                    "pemberitahuan tanggal %(notice)s, perjanjian paling cepat dapat diakhiri "
                    "pada %(earliest)s."
                )
                % {
                    "given": given,
                    "notice": notice_on.strftime("%d-%m-%Y"),
                    "earliest": earliest.strftime("%d-%m-%Y"),
                }
            }
        )
    agreement.notice_on = notice_on
    agreement.notice_reference = notice_reference
    agreement.terminated_on = terminated_on
    agreement.termination_reason = reason
    with transaction.atomic():
        _save(agreement, user, _("Pengakhiran perjanjian dicatat"))
    return agreement
