"""Household pages: the list, one household, and the forms that register and change one."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, require
from pandu.core.lists import build_list
from pandu.core.versions import VersionConflict

from .. import actions, display
from ..filtersets import HouseholdFilterSet
from ..forms import HouseholdForm, MemberFormSet, PersonForm, ReasonForm
from ..history import history_entries
from ..models import Household, Person
from ..related import sections_for
from ..tables import HouseholdTable
from ._common import _apply_errors, _export_url, _log_if_sensitive, _visible_ppks, _web_filters


def _head_name():
    return Subquery(
        Person.objects.filter(household=OuterRef("pk"), relationship=1, status="active").values(
            "full_name"
        )[:1]
    )


@login_required
def household_list(request):
    require(request, Cap.VIEW_REGISTRY)
    qs = (
        Household.objects.visible_to(request.user)
        .select_related("village")
        .annotate(head_name=_head_name())
    )
    page = build_list(
        request,
        qs,
        HouseholdTable,
        filterset_class=HouseholdFilterSet,
        prepare_filters=_web_filters,
        export_url=_export_url(request, "exchange:export_households"),
    )
    return render(
        request,
        "registry/list.html",
        {
            "title": _("Keluarga"),
            "filter": page.filterset,
            "table": page.table,
            "export_url": "exchange:export_households",
        },
    )


@login_required
def household_detail(request, uid):
    require(request, Cap.VIEW_REGISTRY)
    user = request.user
    hh = get_for_user_or_404(
        request,
        Household.objects.visible_to(user).select_related("village__parent__parent", "breadwinner"),
        uid=uid,
    )
    ppks_qs = _visible_ppks(user)
    members = list(
        hh.members.prefetch_related(
            Prefetch("ppks", queryset=ppks_qs, to_attr="visible_ppks")
        ).order_by("status", "relationship", "birth_date")
    )
    household_ppks = list(ppks_qs.filter(household=hh))
    _log_if_sensitive(request, hh, household_ppks + [a for m in members for a in m.visible_ppks])
    return render(
        request,
        "registry/household_detail.html",
        {
            "title": _("Keluarga"),
            "hh": hh,
            "head": next(
                (m for m in members if m.relationship == 1 and m.status == "active"), None
            ),
            "members": members,
            "household_ppks": household_ppks,
            "history": history_entries(hh) if user.can(Cap.VIEW_HISTORY) else None,
            "related": sections_for(user, [m for m in members if m.status == "active"]),
            "past_members": hh.memberships.filter(ended__isnull=False).select_related("person"),
            "today": date.today(),
            "desil": display.desil_text(hh),
            "land_area": display.land_area(hh),
            "assets": display.asset_labels(hh),
            "cards": display.card_labels(hh),
            "livestock": display.livestock_labels(hh),
            "businesses": list(hh.businesses.all()),
        },
    )


def _member_data(form) -> dict:
    return form.action_data()


def _apply_household_errors(form, formset, exc: ValidationError) -> None:
    changed = [f for f in formset.forms if f.has_changed()]
    for f, errs in zip(changed, getattr(exc, "member_errors", None) or [], strict=False):
        for field, msgs in (errs or {}).items():
            f.add_error(field if field in f.fields else None, msgs)
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, msgs in exc.message_dict.items():
        if field == "members":
            formset._non_form_errors = formset.error_class(msgs)
        else:
            form.add_error(field if field in form.fields else None, msgs)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    require(request, Cap.CHANGE_REGISTRY)
    form = HouseholdForm(request.POST or None)
    formset = MemberFormSet(request.POST or None, prefix="m", form_kwargs={"user": request.user})
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST":
        forms_ok = form.is_valid() & formset.is_valid() & reason_form.is_valid()
        if forms_ok:
            members = [_member_data(f) for f in formset.forms if f.has_changed() and f.cleaned_data]
            household = dict(form.cleaned_data)
            household["village"] = form.cleaned_data["village"]
            try:
                hh = actions.register_household(
                    request.user,
                    household=household,
                    members=members,
                    reason=reason_form.cleaned_data.get("reason", ""),
                )
            except PermissionDenied as exc:
                form.add_error("village", str(exc))
            except ValidationError as exc:
                _apply_household_errors(form, formset, exc)
            else:
                messages.success(request, _("Keluarga berhasil didaftarkan."))
                return redirect("registry:household_detail", uid=hh.uid)
    return render(
        request,
        "registry/household_form.html",
        {
            "title": _("Daftarkan keluarga baru"),
            "form": form,
            "formset": formset,
            "reason_form": reason_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, uid):
    require(request, Cap.CHANGE_REGISTRY)
    hh = get_for_user_or_404(request, Household.objects.visible_to(request.user), uid=uid)
    form = HouseholdForm(request.POST or None, instance=hh, versioned=True)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & reason_form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "kk_number"}
        try:
            actions.update_household(
                request.user,
                hh,
                form.changes(changes),
                reason_form.cleaned_data["reason"],
                seen=form.seen(),
            )
        except VersionConflict as exc:
            form.show_conflict(exc)
        except PermissionDenied as exc:
            form.add_error("village", str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("registry:household_detail", uid=hh.uid)
    return render(
        request,
        "registry/household_form.html",
        {"title": _("Ubah data keluarga"), "form": form, "reason_form": reason_form, "hh": hh},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, uid):
    require(request, Cap.CHANGE_REGISTRY)
    hh = get_for_user_or_404(request, Household.objects.visible_to(request.user), uid=uid)
    form = PersonForm(request.POST or None, user=request.user)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & reason_form.is_valid():
        try:
            person = actions.add_member(
                request.user, hh, form.action_data(), reason_form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Anggota keluarga ditambahkan."))
            return redirect("registry:person_detail", uid=person.uid)
    return render(
        request,
        "registry/person_form.html",
        {"title": _("Tambah anggota keluarga"), "form": form, "reason_form": reason_form, "hh": hh},
    )
