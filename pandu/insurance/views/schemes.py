"""Schemes: a provider's scheme with every version of its terms (a change is a new version
from its start date; history is never lost), set by the Dinas's administrator."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.templatetags.pandu import rupiah

from .. import actions, clock
from ..capabilities import ICap
from ..defaults import DEFAULT_TERMS
from ..forms import SchemeForm, TermsForm
from ..models.schemes import RULE_FIELDS
from ._common import READERS, form_page, needs, providers, refused, schemes


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def scheme_create(request, uid):
    user = request.user
    provider = get_for_user_or_404(request, providers(user, "manage"), uid=uid)
    initial = {**DEFAULT_TERMS, "valid_from": clock.today().replace(day=1)}
    form = SchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = actions.create_scheme(
                user,
                provider,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["scheme_note"],
                terms=form.terms(),
            )
        except PermissionDenied:
            deny(request, "scheme refused", provider)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Skema %(name)s dibuat.") % {"name": scheme.name})
            return redirect("insurance:scheme_detail", uid=scheme.uid)
    return form_page(
        request,
        form,
        _("Skema baru %(name)s") % {"name": provider.name},
        back_url=reverse("insurance:provider_detail", args=[provider.uid]),
        intro=_("Isian awal mengikuti ketentuan Askesos (seed 001); sesuaikan bila perlu."),
    )


@needs(*READERS)
def scheme_detail(request, uid):
    user = request.user
    scheme = get_for_user_or_404(request, schemes(user), uid=uid)
    today = clock.today()
    manage = user.can(ICap.MANAGE) and schemes(user, "manage").filter(pk=scheme.pk).exists()
    current = scheme.terms_on(today)
    versions = list(scheme.terms.select_related("created_by").order_by("-valid_from", "-id"))
    for version in versions:
        version.in_force = current is not None and version.pk == current.pk  # type: ignore[attr-defined]
        version.future = not version.withdrawn and version.valid_from > today  # type: ignore[attr-defined]
    return render(
        request,
        "insurance/scheme_detail.html",
        {
            "title": scheme.name,
            "scheme": scheme,
            "provider": scheme.provider,
            "current": current,
            "versions": versions,
            "rows": [
                (TermsForm.base_fields[name].label, [_shown(v, name) for v in versions])
                for name in _SHOWN
            ],
            "manage": manage,
            "member_count": scheme.members.exclude(status="berakhir").count(),
            "history": scheme.history.select_related("history_user").order_by("-history_id")[:20],
        },
    )


#: The terms shown side by side on the scheme's page (every field of a version).
_SHOWN = list(RULE_FIELDS)


_MONEY = {
    "monthly_premium",
    "benefit_illness",
    "benefit_accident",
    "benefit_death",
    "review_above",
    "max_income",
}


def _shown(terms, name: str) -> str:
    value = getattr(terms, name)
    if name in _MONEY:
        return rupiah(value)
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    return "—" if value is None else str(value)


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def terms_add(request, uid):
    user = request.user
    scheme = get_for_user_or_404(request, schemes(user, "manage"), uid=uid)
    today = clock.today()
    current = scheme.terms_on(today)
    initial = TermsForm.initial_of(current) or dict(DEFAULT_TERMS)
    initial["valid_from"] = _next_month(today)
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            terms = actions.add_terms(user, scheme, **form.terms())
        except PermissionDenied:
            deny(request, "terms refused", scheme)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Ketentuan baru berlaku mulai %(day)s.")
                % {"day": terms.valid_from.strftime("%d-%m-%Y")},
            )
            return redirect("insurance:scheme_detail", uid=scheme.uid)
    return form_page(
        request,
        form,
        _("Ketentuan baru skema %(name)s") % {"name": scheme.name},
        back_url=reverse("insurance:scheme_detail", args=[scheme.uid]),
        intro=_(
            "Isian awal adalah ketentuan yang berlaku hari ini. Versi baru berlaku sejak "
            "tanggalnya; iuran, pendaftaran dan klaim sebelumnya tetap dinilai dengan versi lama."
        ),
    )


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@needs(ICap.MANAGE)
@require_POST
def terms_withdraw(request, uid, valid_from):
    user = request.user
    scheme = get_for_user_or_404(request, schemes(user, "manage"), uid=uid)
    try:
        day = date.fromisoformat(valid_from)
    except ValueError:
        raise Http404 from None
    terms = scheme.terms.filter(valid_from=day, withdrawn=False).first()
    if terms is None:
        raise Http404
    try:
        actions.withdraw_terms(user, terms)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc, scheme)
    else:
        messages.success(request, _("Ketentuan yang belum berlaku itu dibatalkan."))
    return redirect("insurance:scheme_detail", uid=scheme.uid)


@needs(ICap.MANAGE)
@require_POST
def scheme_active(request, uid):
    user = request.user
    scheme = get_for_user_or_404(request, schemes(user, "manage"), uid=uid)
    active = request.POST.get("active") == "1"
    try:
        actions.set_scheme_active(user, scheme, active)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc, scheme)
    else:
        if active:
            messages.success(request, _("Skema kembali menerima peserta baru."))
        else:
            messages.success(request, _("Skema tidak lagi menerima peserta baru."))
    return redirect("insurance:scheme_detail", uid=scheme.uid)
