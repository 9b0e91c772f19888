"""PPKS pages: record a condition for a person or household, and end it."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, require

from .. import actions
from ..forms import EndPPKSForm, PPKSForm
from ..models import Household, Person, PPKSAssignment
from ..queries import ppks_categories_for
from ._common import _apply_errors


@login_required
@require_http_methods(["GET", "POST"])
def ppks_add(request, kind, uid):
    require(request, Cap.CHANGE_REGISTRY)
    user = request.user
    if kind not in ("person", "household"):
        raise Http404
    if kind == "person":
        subject = get_for_user_or_404(request, Person.objects.visible_to(user), uid=uid)
        categories = ppks_categories_for(user).filter(household_level=False)
    else:
        subject = get_for_user_or_404(request, Household.objects.visible_to(user), uid=uid)
        categories = ppks_categories_for(user).filter(household_level=True)
    form = PPKSForm(
        request.POST or None, categories=categories, initial={"identified_on": date.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.assign_ppks(
                user,
                category=form.cleaned_data["category"],
                person=subject if kind == "person" else None,
                household=subject if kind == "household" else None,
                identified_on=form.cleaned_data["identified_on"],
                source=form.cleaned_data["source"],
                note=form.cleaned_data.get("note", ""),
                verified=form.cleaned_data.get("verified", False),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("PPKS dicatat."))
            return redirect(_subject_url(subject))
    return render(
        request,
        "registry/simple_form.html",
        {"title": _("Catat PPKS"), "form": form, "subject": subject},
    )


def _subject_url(subject) -> str:
    if isinstance(subject, Person):
        return reverse("registry:person_detail", kwargs={"uid": subject.uid})
    return reverse("registry:household_detail", kwargs={"uid": subject.uid})


@login_required
@require_http_methods(["GET", "POST"])
def ppks_end(request, uid):
    require(request, Cap.CHANGE_REGISTRY)
    a = get_for_user_or_404(request, PPKSAssignment.objects.visible_to(request.user), uid=uid)
    form = EndPPKSForm(request.POST or None, initial={"on": date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_ppks(
                request.user, a, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("PPKS diakhiri."))
            return redirect(_subject_url(a.person or a.household))
    return render(request, "registry/simple_form.html", {"title": _("Akhiri PPKS"), "form": form})
