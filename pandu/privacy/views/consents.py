"""Consent pages: record one for a person, withdraw one, open its signed form, and a person's
whole record of consents, restrictions and requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.uploads import upload_limit
from pandu.registry.models import Person

from .. import actions
from ..capabilities import PCap
from ..forms import ConsentForm, WithdrawConsentForm
from ..models import Restriction
from ._common import consents_of, needs, requests_of


def _person(request, uid):
    return get_for_user_or_404(
        request,
        Person.objects.visible_to(request.user).select_related("household__village"),
        uid=uid,
    )


@needs(PCap.CONSENT)
@upload_limit(actions.consents.FORM_MAX + 1024 * 1024)
@require_http_methods(["GET", "POST"])
def consent_create(request, person):
    person = _person(request, person)
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_consent(
                request.user,
                person,
                purpose=data["purpose"],
                scope=data["scope"],
                given_by=data["given_by"],
                method=data["method"],
                given_on=data["given_on"],
                programme=data["programme"],
                organisation=data["organisation"],
                guardian_name=data["guardian_name"],
                guardian_relationship=data["guardian_relationship"],
                witness_name=data["witness_name"],
                document=data["document"],
                valid_until=data["valid_until"],
                note=data["note"],
            )
        except PermissionDenied:
            deny(request, "consent refused", person)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Persetujuan dicatat."))
            return redirect("privacy:person", uid=person.uid)
    return render(
        request,
        "privacy/consent_form.html",
        {"title": _("Catat persetujuan: %(name)s") % {"name": person.full_name},
         "form": form, "person": person},
    )  # fmt: skip


@needs(PCap.CONSENT)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, uid):
    consent = get_for_user_or_404(request, consents_of(request.user, "change"), uid=uid)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.withdraw_consent(
                request.user, consent, on=data["on"], reason=data["reason"], by=data["by"]
            )
        except PermissionDenied:
            deny(request, "consent withdrawal refused", consent)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Persetujuan dicabut."))
            return redirect("privacy:person", uid=consent.person.uid)
    return render(
        request,
        "privacy/simple_form.html",
        {
            "title": _("Cabut persetujuan: %(what)s") % {"what": consent},
            "intro": _(
                "Pemrosesan yang sudah dilakukan sebelum pencabutan tetap sah dan tercatat."
            ),
            "form": form,
            "submit": _("Cabut persetujuan"),
            "danger": True,
            "back_url": reverse("privacy:person", args=[consent.person.uid]),
        },
    )


@needs(PCap.VIEW)
def consent_document(request, uid):
    consent = get_for_user_or_404(request, consents_of(request.user), uid=uid)
    if not consent.document:
        deny(request, "consent without a form", consent)
    return private_file_response(
        consent.document.open("rb"),
        filename=consent.document_name or f"persetujuan-{consent.uid}",
        content_type=consent.document_type or None,
    )


@needs(PCap.VIEW, PCap.HANDLE)
def person_privacy(request, uid):
    """A person's consents with their history, restrictions, and (for handlers) requests."""
    user = request.user
    person = _person(request, uid)
    consents = list(consents_of(user).filter(person=person))
    for consent in consents:
        consent.timeline = consent.history.select_related("history_user").order_by("-history_id")[
            :20
        ]
    return render(
        request,
        "privacy/person.html",
        {
            "title": _("Data pribadi: %(name)s") % {"name": person.full_name},
            "person": person,
            "consents": consents,
            "restrictions": Restriction.objects.visible_to(user).filter(person=person),
            "requests": requests_of(user).filter(person=person).order_by("-received_at"),
            "may_consent": user.can(PCap.CONSENT),
            "may_handle": user.can(PCap.HANDLE),
            "may_lift": user.can(PCap.HANDLE),
            "sees_registry": user.can(Cap.VIEW_REGISTRY),
        },
    )
