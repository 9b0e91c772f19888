"""The list of bodies (decision 0013): read by everyone who reads the catalogue, registered by
the administrator of their area. A body kept by a partner agency or a PSKS institution is
changed on that record's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.querysets import scope_of
from pandu.core.versions import VersionConflict
from pandu.organisations.actions import create_organisation, update_organisation
from pandu.organisations.capabilities import OCap
from pandu.organisations.keepers import kept_by
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
    if request.user.can(OCap.MANAGE):
        page.table.edit_scope = scope_of(request.user)
    else:
        page.table.columns.hide("edit")
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


def _may_edit(user, org: Organisation) -> bool:
    """What ``update_organisation`` asks of the place: a body of the user's area, a national
    one (no area) only for a user whose scope is the whole country."""
    scope = scope_of(user)
    return scope is not None and (org.area_id or "").startswith(scope)


@needs(OCap.MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_edit(request, uid):
    """A body of the user's area; one a partner agency or a PSKS institution keeps is shown
    with a link to that record's page instead of a form."""
    bodies = Organisation.objects.select_related("area")
    org = get_for_user_or_404(request, bodies, uid=uid)
    if not _may_edit(request.user, org):
        deny(request, "organisation outside the user's area", org)
    keeper = kept_by(org)
    form = (
        None
        if keeper
        else forms.OrganisationEditForm(request.POST or None, organisation=org, versioned=True)
    )
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("area").strip()
        area = Area.objects.filter(code=code).first() if code else None
        if code and area is None:
            form.add_error("area", _("Kode wilayah tidak dikenal."))
        else:
            try:
                changes = form.changes({**data, "area": area})
                update_organisation(request.user, org, seen=form.seen(), **changes)
            except VersionConflict as exc:
                form.show_conflict(exc)
            except PermissionDenied:
                form.add_error("area", _("Wilayah kedudukan di luar wilayah kerja Anda."))
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Data lembaga disimpan."))
                return redirect("programs:organisation_list")
    return render(
        request,
        "programs/organisation_edit.html",
        {
            "title": _("Ubah lembaga: %(name)s") % {"name": org},
            "organisation": org,
            "keeper": keeper,
            "form": form,
            "back_url": reverse("programs:organisation_list"),
        },
    )
