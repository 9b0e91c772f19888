"""The programme catalogue: the list, one programme with its amounts over time, a local (APBD)
programme added for the user's area, a programme's details and amounts changed."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.querysets import scope_of
from pandu.core.versions import VersionConflict
from pandu.regions.models import Area

from .. import actions, forms
from ..capabilities import PCap
from ..filtersets import ProgrammeFilterSet
from ..models import IntegratedProgramme, Programme, ProgrammeAmount
from ..tables import ProgrammeTable
from ._common import form_errors, needs, refused


@needs(PCap.CATALOGUE_VIEW)
def catalogue(request):
    programmes = Programme.objects.visible_to(request.user).select_related("owner")
    page = build_list(request, programmes, ProgrammeTable, filterset_class=ProgrammeFilterSet)
    return render(
        request,
        "programs/catalogue.html",
        {
            "title": _("Katalog program"),
            "table": page.table,
            "filter": page.filterset,
            "perms_manage": request.user.can(PCap.CATALOGUE_MANAGE),
        },
    )


@needs(PCap.CATALOGUE_VIEW)
def programme_detail(request, code):
    programme = get_for_user_or_404(
        request,
        Programme.objects.visible_to(request.user).select_related("owner", "area"),
        code=code,
    )
    today = date.today()
    in_force = set(programme.amounts_on(today).values_list("pk", flat=True))
    can_change = Programme.objects.restrict(request.user, "change").filter(pk=programme.pk)
    amounts = list(programme.amounts.all())
    for amount in amounts:
        amount.open = amount.valid_to is None or amount.valid_to >= today
    return render(
        request,
        "programs/programme_detail.html",
        {
            "title": str(programme),
            "programme": programme,
            "amounts": amounts,
            "in_force": in_force,
            "can_change": can_change.exists(),
            "amount_form": forms.AmountForm(),
            "implementations": programme.implementations.filter(
                programme__in=IntegratedProgramme.objects.visible_to(request.user).values("pk")
            ).select_related("programme", "organisation"),
        },
    )


def _save_programme(request, form, programme: Programme | None):
    """Parse the area code and call the action; a refusal lands on the form, never a 404."""
    data = dict(form.cleaned_data)
    code = (data.pop("area") or "").strip()
    area = Area.objects.filter(code=code).first() if code else None
    if code and area is None:
        form.add_error("area", _("Kode wilayah tidak dikenal."))
        return None
    data["area"] = area
    if programme is not None:
        data.pop("code", None)
        data = form.changes(data)  # what the user changed, against the version they saw
    try:
        return actions.save_programme(request.user, programme, seen=form.seen(), **data)
    except VersionConflict as exc:
        form.show_conflict(exc)
    except PermissionDenied:
        if area is None:
            form.add_error(
                "area", _("Program nasional hanya dapat diubah oleh pengguna tingkat nasional.")
            )
        else:
            form.add_error("area", _("Wilayah program di luar wilayah kerja Anda."))
    except ValidationError as exc:
        add_action_errors(form, exc)
    return None


@needs(PCap.CATALOGUE_MANAGE)
@require_http_methods(["GET", "POST"])
def programme_create(request):
    """A local (APBD) programme of the user's area (a national one for a national user)."""
    scope = scope_of(request.user) or ""
    initial = {"area": scope, "level": "provinsi" if len(scope) == 2 else "kabupaten"}
    form = forms.ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        programme = _save_programme(request, form, None)
        if programme is not None:
            messages.success(request, _("Program ditambahkan ke katalog."))
            return redirect("programs:programme_detail", programme.code)
    return render(
        request,
        "programs/form.html",
        {
            "title": _("Program daerah baru"),
            "intro": _(
                "Program yang dibiayai APBD untuk wilayah kerja Anda. Nilai bantuannya "
                "ditambahkan dari halaman program setelah disimpan."
            ),
            "form": form,
            "back_url": reverse("programs:catalogue"),
        },
    )


def _changeable(request, code) -> Programme:
    return get_for_user_or_404(
        request, Programme.objects.restrict(request.user, "change"), code=code
    )


@needs(PCap.CATALOGUE_MANAGE)
@require_http_methods(["GET", "POST"])
def programme_edit(request, code):
    programme = _changeable(request, code)
    form = forms.ProgrammeForm(request.POST or None, programme=programme, versioned=True)
    if request.method == "POST" and form.is_valid():
        saved = _save_programme(request, form, programme)
        if saved is not None:
            messages.success(request, _("Program disimpan."))
            return redirect("programs:programme_detail", saved.code)
    return render(
        request,
        "programs/form.html",
        {
            "title": _("Ubah program: %(code)s") % {"code": programme.code},
            "form": form,
            "back_url": reverse("programs:programme_detail", args=[programme.code]),
        },
    )


@needs(PCap.CATALOGUE_MANAGE)
@require_POST
def amount_add(request, code):
    programme = _changeable(request, code)
    form = forms.AmountForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.set_programme_amount(request.user, programme, **form.cleaned_data)
            messages.success(request, _("Nilai bantuan ditetapkan."))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
    return redirect("programs:programme_detail", programme.code)


@needs(PCap.CATALOGUE_MANAGE)
@require_POST
def amount_end(request, code):
    programme = _changeable(request, code)
    form = forms.AmountEndForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:programme_detail", programme.code)
    amount = get_for_user_or_404(
        request,
        ProgrammeAmount.objects.restrict(request.user, "change").filter(programme=programme),
        component=form.cleaned_data["component"],
        valid_from=form.cleaned_data["valid_from"],
    )
    try:
        actions.end_programme_amount(request.user, amount, form.cleaned_data["valid_to"])
        messages.success(request, _("Nilai bantuan diakhiri."))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect("programs:programme_detail", programme.code)
