"""Person pages: the lists, one person, and the forms that change one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core import ratelimit
from pandu.core.access import get_for_user_or_404, record_access, require
from pandu.core.lists import build_list, paginate
from pandu.core.models import AccessLog
from pandu.core.versions import VersionConflict

from .. import actions
from ..filtersets import PersonFilterSet
from ..forms import PersonForm, ReasonForm, StatusForm
from ..history import history_entries
from ..masking import may_see_nik
from ..models import Person, PSKSPerson
from ..related import sections_for
from ..tables import PersonTable
from ..validation import FLAG_LABELS
from ._common import _apply_errors, _export_url, _log_if_sensitive, _visible_ppks, _web_filters

#: Full NIKs one reader without ``registry.nik`` may reveal in an hour (``PANDU_NIK_REVEALS``).
REVEALS_PER_HOUR = 60


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


def _detail(request, uid) -> Person:
    require(request, Cap.VIEW_REGISTRY)
    return get_for_user_or_404(
        request,
        Person.objects.visible_to(request.user).select_related("household__village"),
        uid=uid,
    )


def _detail_page(request, person: Person, *, revealed: bool = False):
    user = request.user
    ppks = list(_visible_ppks(user).filter(person=person).order_by("-active", "-identified_on"))
    _log_if_sensitive(request, person, ppks)
    # A bank/KKS account is financial data: in full only with need to know, and each reading
    # of it is logged like a sensitive record.
    full_account = bool(person.bank_account) and user.can(Cap.VIEW_ACCOUNTS)
    if full_account:
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, person, detail="bank account number")
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
            "history": history_entries(person, full_nik=may_see_nik(user))
            if user.can(Cap.VIEW_HISTORY)
            else None,
            "related": sections_for(user, [person]),
            "flag_labels": [FLAG_LABELS.get(f, f) for f in person.quality_flags],
            "age": person.age(),
            "account": person.bank_account if full_account else person.masked_bank_account,
            # Roles that register and verify people read the NIK in full, unlogged like the
            # rest of the page; the others read it masked and reveal it (logged).
            "full_nik": revealed or may_see_nik(user),
            "nik_revealed": revealed,
        },
    )


@login_required
def person_detail(request, uid):
    return _detail_page(request, _detail(request, uid))


@never_cache
@login_required
@require_POST
def person_nik_reveal(request, uid):
    """The "Tampilkan NIK" button: one person's full NIK for a reader who sees it masked. Each
    reveal is an access-log entry naming the person (never the number); more than
    ``PANDU_NIK_REVEALS`` in an hour are refused, and the refusal is logged too. The page asks
    by htmx and gets the number alone; without JavaScript the whole page comes back with it."""
    person = _detail(request, uid)
    limit = int(getattr(settings, "PANDU_NIK_REVEALS", REVEALS_PER_HOUR))
    allowed = ratelimit.hit(
        "registry.nik_reveal", f"user:{request.user.pk}", limit=limit, window=3600
    )
    record_access(
        request,
        AccessLog.Kind.NIK_REVEAL,
        person,
        detail="full NIK shown" if allowed else "refused (limit)",
    )
    if not allowed:
        message = _("Terlalu banyak NIK ditampilkan dalam satu jam. Coba lagi nanti.")
        if request.htmx:
            return render(
                request, "registry/_nik_reveal.html", {"person": person, "refusal": message}
            )
        messages.warning(request, message)
        return redirect("registry:person_detail", uid=person.uid)
    if request.htmx:
        return render(request, "registry/_nik_reveal.html", {"person": person, "revealed": True})
    return _detail_page(request, person, revealed=True)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, uid):
    require(request, Cap.CHANGE_REGISTRY)
    person = get_for_user_or_404(request, Person.objects.visible_to(request.user), uid=uid)
    form = PersonForm(request.POST or None, instance=person, user=request.user, versioned=True)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & reason_form.is_valid():
        try:
            actions.update_person(
                request.user,
                person,
                form.changes(form.action_data()),
                reason_form.cleaned_data["reason"],
                seen=form.seen(),
            )
        except VersionConflict as exc:
            form.show_conflict(exc)
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
