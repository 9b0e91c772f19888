"""The list of bodies (decision 0013): read by everyone who reads the catalogue, registered by
the administrator of their area. A body kept by a partner agency or a PSKS institution is
changed on that record's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.organisations.actions import create_organisation
from pandu.organisations.capabilities import OCap
from pandu.organisations.models import Organisation
from pandu.regions.models import Area

from .. import forms
from ..capabilities import PCap
from ..filtersets import OrganisationFilterSet
from ..tables import OrganisationTable
from ._common import needs


@needs(PCap.CATALOGUE_VIEW)
def organisation_list(request):
    bodies = Organisation.objects.select_related("area")
    page = build_list(request, bodies, OrganisationTable, filterset_class=OrganisationFilterSet)
    return render(
        request,
        "programs/organisation_list.html",
        {
            "title": _("Lembaga"),
            "table": page.table,
            "filter": page.filterset,
            "perms_manage": request.user.can(OCap.MANAGE),
        },
    )


@needs(OCap.MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        area = Area.objects.filter(code=data.pop("area").strip()).first()
        if area is None:
            form.add_error("area", _("Kode wilayah tidak dikenal."))
        else:
            try:
                create_organisation(request.user, area=area, **data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    exc = ValidationError(
                        {"area": [_("Wilayah kedudukan di luar wilayah kerja Anda.")]}
                    )
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Lembaga didaftarkan."))
                return redirect("programs:organisation_list")
    return render(request, "programs/form.html", {"title": _("Lembaga baru"), "form": form})
