"""Registry pages: search, lists, records with their history, and the forms that change them."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, record_access, require
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list, paginate
from pandu.core.models import AccessLog
from pandu.regions.queries import district_exists

from . import actions, existence
from .filtersets import (
    NUMBER_FILTERS,
    HouseholdFilterSet,
    PersonFilterSet,
    PSKSOrganisationFilterSet,
    find_people,
    holds_a_number,
    names_only,
)
from .forms import (
    EndPPKSForm,
    HouseholdForm,
    MemberFormSet,
    NikCheckForm,
    PersonForm,
    PPKSForm,
    PSKSOrganisationForm,
    PSKSPersonForm,
    ReasonForm,
    StatusForm,
)
from .history import history_entries
from .models import Household, Person, PPKSAssignment, PSKSOrganisation, PSKSPerson
from .nik import check_nik
from .queries import ppks_categories_for
from .tables import HouseholdTable, PersonTable, PSKSOrganisationTable, PSKSPersonTable
from .validation import FLAG_LABELS

PAGE_SIZE = 50


_apply_errors = add_action_errors


def _head_name():
    return Subquery(
        Person.objects.filter(household=OuterRef("pk"), relationship=1, status="active").values(
            "full_name"
        )[:1]
    )


def _web_filters(fs):
    """List pages filter by GET: names only (``filtersets.names_only``)."""
    return names_only(fs)


def _export_url(request, name: str) -> str:
    """The export page with the list's filters (a list longer than a page is an export)."""
    from pandu.exchange.permissions import can_export

    if not can_export(request.user):
        return ""
    query = request.GET.copy()
    for key in ("page", "per_page", "sort", *NUMBER_FILTERS):  # no NIK or KK carried along
        query.pop(key, None)
    return reverse(name) + ("?" + query.urlencode() if query else "")


@login_required
def search(request):
    """Find people and households by NIK, KK or name (spelling-tolerant) within the user's area.

    The form posts. A name may also come in the address (``?q=``), a number may not: a NIK in
    an address stays in browser history, proxy and server logs."""
    require(request, Cap.VIEW_REGISTRY)
    data = request.POST if request.method == "POST" else request.GET
    q, area = data.get("q", ""), data.get("area", "")
    number_in_address = request.method != "POST" and holds_a_number(q)
    if number_in_address:
        q = ""
    results = None
    if q.strip():
        qs = Person.objects.visible_to(request.user)
        if area:
            qs = qs.in_area(area)
        results = find_people(qs.select_related("household__village"), q, PAGE_SIZE + 1)
    template = "registry/_search_results.html" if request.htmx else "registry/search.html"
    return render(
        request,
        template,
        {
            "title": _("Cari penduduk dan keluarga"),
            "q": q,
            "area": area,
            "results": results[:PAGE_SIZE] if results is not None else None,
            "more": results is not None and len(results) > PAGE_SIZE,
            "number_in_address": number_in_address,
        },
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
def person_list(request):
    require(request, Cap.VIEW_REGISTRY)
    qs = Person.objects.visible_to(request.user).select_related("household__village")
    page = build_list(
        request,
        qs,
        PersonTable,
        filterset_class=PersonFilterSet,
        prepare_filters=_web_filters,
        export_url=_export_url(request, "exchange:export_persons"),
    )
    return render(
        request,
        "registry/list.html",
        {
            "title": _("Penduduk"),
            "filter": page.filterset,
            "table": page.table,
            "export_url": "exchange:export_persons",
        },
    )


@login_required
def flagged(request):
    """People whose NIK disagrees with their recorded birth date or sex, or has unknown prefix."""
    require(request, Cap.VIEW_REGISTRY)
    qs = (
        Person.objects.visible_to(request.user)
        .filter(flagged=True)
        .select_related("household__village")
    )
    table = paginate(request, PersonTable(qs))
    return render(
        request,
        "registry/flagged.html",
        {"title": _("Data perlu diperiksa"), "table": table, "flag_labels": FLAG_LABELS},
    )


def _visible_ppks(user):
    return PPKSAssignment.objects.visible_to(user).select_related("category", "verified_by")


def _log_if_sensitive(request, obj, assignments) -> None:
    if any(a.category.sensitive for a in assignments):
        record_access(
            request, AccessLog.Kind.VIEW_SENSITIVE, obj, detail="record with sensitive PPKS"
        )


@login_required
def household_detail(request, uid):
    require(request, Cap.VIEW_REGISTRY)
    user = request.user
    hh = get_for_user_or_404(
        request,
        Household.objects.visible_to(user).select_related("village__parent__parent"),
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
            "past_members": hh.memberships.filter(ended__isnull=False).select_related("person"),
            "today": date.today(),
        },
    )


@login_required
def person_detail(request, uid):
    require(request, Cap.VIEW_REGISTRY)
    user = request.user
    person = get_for_user_or_404(
        request, Person.objects.visible_to(user).select_related("household__village"), uid=uid
    )
    ppks = list(_visible_ppks(user).filter(person=person).order_by("-active", "-identified_on"))
    _log_if_sensitive(request, person, ppks)
    return render(
        request,
        "registry/person_detail.html",
        {
            "title": person.full_name,
            "person": person,
            "ppks": ppks,
            "memberships": person.memberships.select_related("household__village"),
            "psks_roles": PSKSPerson.objects.visible_to(user)
            .filter(person=person)
            .select_related("psks_type", "area"),
            "history": history_entries(person) if user.can(Cap.VIEW_HISTORY) else None,
            "flag_labels": [FLAG_LABELS.get(f, f) for f in person.quality_flags],
            "age": person.age(),
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
    formset = MemberFormSet(request.POST or None, prefix="m")
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
    form = HouseholdForm(request.POST or None, instance=hh)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & reason_form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "kk_number"}
        try:
            actions.update_household(request.user, hh, changes, reason_form.cleaned_data["reason"])
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
    form = PersonForm(request.POST or None)
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


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, uid):
    require(request, Cap.CHANGE_REGISTRY)
    person = get_for_user_or_404(request, Person.objects.visible_to(request.user), uid=uid)
    form = PersonForm(request.POST or None, instance=person)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & reason_form.is_valid():
        try:
            actions.update_person(
                request.user, person, form.action_data(), reason_form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("registry:person_detail", uid=person.uid)
    return render(
        request,
        "registry/person_form.html",
        {
            "title": _("Ubah data penduduk"),
            "form": form,
            "reason_form": reason_form,
            "person": person,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_status(request, uid):
    """Record a death or a move out; the record stays, with its history."""
    require(request, Cap.CHANGE_REGISTRY)
    person = get_for_user_or_404(request, Person.objects.visible_to(request.user), uid=uid)
    form = StatusForm(request.POST or None, initial={"status": person.status})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_person_status(
                request.user,
                person,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Status penduduk diperbarui."))
            return redirect("registry:person_detail", uid=person.uid)
    return render(
        request,
        "registry/simple_form.html",
        {"title": _("Ubah status penduduk"), "form": form, "person": person},
    )


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


@login_required
@require_http_methods(["GET", "POST"])
def nik_tool(request):
    """Check a NIK's structure, region and consistency; nothing is looked up or stored."""
    form = NikCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = check_nik(
            form.cleaned_data["nik"],
            birth_date=form.cleaned_data.get("birth_date"),
            sex=form.cleaned_data.get("sex") or None,
            known_district=district_exists,
        )
    template = "registry/_nik_result.html" if request.htmx else "registry/nik_tool.html"
    return render(request, template, {"title": _("Periksa NIK"), "form": form, "result": result})


@login_required
@require_http_methods(["POST"])
def nik_field_check(request):
    """Inline check for NIK inputs in forms (HTMX): returns a short message, never the NIK."""
    field = next((k for k in request.POST if k.endswith("nik")), None)
    value = request.POST.get(field, "") if field else ""
    result = check_nik(value, known_district=district_exists) if value.strip() else None
    taken, refusal = False, ""
    if result is not None and result.valid and request.user.can(Cap.VIEW_REGISTRY):
        # "Already registered" only inside the user's area; counted and logged (existence).
        try:
            status = existence.nik_status(request.user, result.value, path=request.path)
        except ValidationError as exc:
            refusal = exc.messages[0]
        else:
            taken = status == existence.MINE
    return render(
        request,
        "registry/_nik_inline.html",
        {"result": result, "taken": taken, "refusal": refusal},
    )
