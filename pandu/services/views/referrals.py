"""Referral pages on the staff side: create, consent, send, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.uploads import upload_limit

from .. import actions, forms, public
from ..actions._common import MAX_UPLOAD
from ..capabilities import SCap
from ..models import Referral, ReferralAttachment
from ._common import (
    NeedsReason,
    _errors_to_form,
    _form_page,
    _granted,
    _letter_response,
    _need,
    _post_action,
    _work_case,
    gated,
    needs,
)


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def referral_create(request, uid):
    case = _work_case(request, uid)
    services = actions.services_for(case)
    needs_list = case.intake.need_list()
    form = forms.ReferralForm(
        request.POST or None,
        services=services,
        initial={"need_area": needs_list[0] if needs_list else "", "need": case.intake.description},
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        service = d.pop("service")
        try:
            referral = actions.create_referral(request.user, case, service, **d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draf rujukan dibuat. Catat persetujuan, lalu kirim."))
            return redirect("services:referral_detail", referral.uid)
    return _form_page(
        request,
        form,
        _("Rujukan baru"),
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
        submit=_("Simpan draf"),
        note=None if services else _("Belum ada layanan mitra aktif yang menjangkau wilayah ini."),
    )


def _referral(request, uid) -> Referral:
    referral = get_for_user_or_404(
        request,
        Referral.objects.visible_to(request.user).select_related(
            "case__intake", "case__service_point", "agency", "service"
        ),
        uid=uid,
    )
    if referral.case.sensitive and not _granted(request, referral.case.uid):
        raise NeedsReason(
            reverse("services:case_reason", args=[referral.case.uid]) + "?next=" + request.path
        )
    return referral


@needs(SCap.CASE_VIEW)
@gated
def referral_detail(request, uid):
    referral = _referral(request, uid)
    case = referral.case
    may_work = actions.may_work(request.user, case)
    return render(
        request,
        "services/referral_detail.html",
        {
            "title": str(referral),
            "referral": referral,
            "case": case,
            "may_work": may_work,
            "events": referral.events.select_related("actor"),
            "attachments": referral.attachments.all(),
            "consent_form": forms.ConsentForm(
                initial={
                    "consent_by": "guardian" if case.intake.age() < actions.CHILD_AGE else "self"
                }
            ),
            "attachment_form": forms.AttachmentForm(),
            "is_child": case.intake.age() < actions.CHILD_AGE,
            "verify_url": request.build_absolute_uri(
                reverse("services:public_letter", args=[public.letter_token(referral)])
            )
            if referral.number
            else "",
        },
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def referral_edit(request, uid):
    referral = _referral(request, uid)
    _work_case(request, referral.case.uid)
    form = forms.ReferralEditForm(
        request.POST or None, initial={k: getattr(referral, k) for k in actions.REFERRAL_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_referral(request.user, referral, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draf rujukan disimpan."))
            return redirect("services:referral_detail", uid)
    return _form_page(
        request,
        form,
        _("Ubah draf rujukan"),
        subtitle=referral.agency.name,
        back=reverse("services:referral_detail", args=[uid]),
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_consent(request, uid):
    referral = _referral(request, uid)
    form = forms.ConsentForm(request.POST)
    back = reverse("services:referral_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    d = form.cleaned_data
    return _post_action(
        request,
        lambda: actions.record_consent(
            request.user,
            referral,
            consent_by=d["consent_by"],
            method=d["method"],
            guardian_name=d["guardian_name"],
            guardian_relationship=d["guardian_relationship"],
            share_nik=d["share_nik"],
            note=d["note"],
        ),
        _("Persetujuan dicatat."),
        back,
    )


@upload_limit(MAX_UPLOAD)
@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_attach(request, uid):
    referral = _referral(request, uid)
    form = forms.AttachmentForm(request.POST, request.FILES)
    back = reverse("services:referral_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.add_referral_attachment(
            request.user, referral, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
        ),
        _("Lampiran disimpan."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_send(request, uid):
    referral = _referral(request, uid)
    return _post_action(
        request,
        lambda: actions.send_referral(request.user, referral),
        _("Rujukan dikirim."),
        reverse("services:referral_detail", args=[uid]),
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_withdraw(request, uid):
    referral = _referral(request, uid)
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        lambda: actions.withdraw_referral(request.user, referral, reason),
        _("Rujukan ditarik."),
        reverse("services:referral_detail", args=[uid]),
    )


@needs(SCap.CASE_VIEW)
@gated
def referral_letter(request, uid):
    return _letter_response(request, _referral(request, uid))


@login_required
def attachment_download(request, uid):
    """A referral's attachment: for staff who may open the case, and for the addressed partner."""
    user = request.user
    if user.can(SCap.PARTNER):
        # Not once the referral is withdrawn: the consent to share no longer holds.
        qs = ReferralAttachment.objects.shared_with(user)
    else:
        _need(request, SCap.CASE_VIEW, SCap.PARTNER)
        qs = ReferralAttachment.objects.visible_to(user)
    attachment = get_for_user_or_404(request, qs.select_related("referral__case"), uid=uid)
    case = attachment.referral.case
    if not user.can(SCap.PARTNER) and case.sensitive and not _granted(request, case.uid):
        return redirect(reverse("services:case_reason", args=[case.uid]) + "?next=" + request.path)
    ext = attachment.file.name.rsplit(".", 1)[-1]
    return private_file_response(
        attachment.file.open("rb"),
        filename=f"lampiran-{attachment.uid}.{ext}",
        content_type=attachment.content_type,
    )
