"""PSKS pages: organisations and people who serve, their list and records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, require
from pandu.core.lists import build_list, paginate

from .. import actions
from ..filtersets import PSKSOrganisationFilterSet
from ..forms import PSKSOrganisationForm, PSKSPersonForm
from ..history import history_entries
from ..models import Person, PSKSOrganisation, PSKSPerson
from ..tables import PSKSOrganisationTable, PSKSPersonTable
from ._common import _apply_errors


@login_required
def psks_list(request):
    require(request, Cap.VIEW_REGISTRY)
    qs = PSKSOrganisation.objects.visible_to(request.user).select_related("psks_type", "area")
    page = build_list(request, qs, PSKSOrganisationTable, filterset_class=PSKSOrganisationFilterSet)
    people = PSKSPerson.objects.visible_to(request.user).select_related(
        "psks_type", "person", "area"
    )
    return render(
        request,
        "registry/psks_list.html",
        {
            "title": _("Potensi dan Sumber Kesejahteraan Sosial (PSKS)"),
            "filter": page.filterset,
            "table": page.table,
            "people": paginate(request, PSKSPersonTable(people, prefix="orang-")),
        },
    )


@login_required
def psks_org_detail(request, uid):
    require(request, Cap.VIEW_REGISTRY)
    org = get_for_user_or_404(
        request,
        PSKSOrganisation.objects.visible_to(request.user).select_related("psks_type", "area"),
        uid=uid,
    )
    return render(
        request,
        "registry/psks_org_detail.html",
        {
            "title": org.name,
            "org": org,
            "history": history_entries(org) if request.user.can(Cap.VIEW_HISTORY) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def psks_person_create(request, uid):
    """Record that a person serves as TKSK, PSM, Tagana, social worker, ..."""
    require(request, Cap.CHANGE_REGISTRY)
    person = get_for_user_or_404(request, Person.objects.visible_to(request.user), uid=uid)
    form = PSKSPersonForm(request.POST or None, initial={"area": person.area_code})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.register_psks_person(
                request.user,
                psks_type=data.pop("psks_type"),
                person=person,
                area=data.pop("area"),
                **data,
            )
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Peran PSKS dicatat."))
            return redirect("registry:person_detail", uid=person.uid)
    return render(
        request,
        "registry/simple_form.html",
        {"title": _("Daftarkan sebagai PSKS perorangan"), "form": form, "person": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def psks_org_create(request):
    require(request, Cap.CHANGE_REGISTRY)
    form = PSKSOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            org = actions.register_psks_organisation(
                request.user, psks_type=data.pop("psks_type"), area=data.pop("area"), **data
            )
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Lembaga PSKS didaftarkan."))
            return redirect("registry:psks_org_detail", uid=org.uid)
    return render(
        request, "registry/simple_form.html", {"title": _("Daftarkan lembaga PSKS"), "form": form}
    )
