"""Pages that add items to a batch and remove them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import get_for_user_or_404
from pandu.registry.forms import HouseholdForm, MemberFormSet, PersonForm
from pandu.registry.models import Household, Person
from pandu.registry.queries import ppks_categories_for

from .. import actions
from .. import payloads as p
from ..forms import DeathForm, ItemReasonForm, MoveForm, PPKSItemForm
from ..models import ItemKind
from ._common import _apply_errors, _draft_for_proposer, _item, _redirecting


def _apply_household_errors(form, formset, exc: ValidationError) -> None:
    changed = [f for f in formset.forms if f.has_changed()]
    for f, errs in zip(changed, getattr(exc, "member_errors", None) or [], strict=False):
        for name, msgs in (errs or {}).items():
            f.add_error(name if name in f.fields else None, msgs)
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, msgs in exc.message_dict.items():
        if name == "members":
            formset._non_form_errors = formset.error_class(msgs)
        else:
            form.add_error(name if name in form.fields else None, msgs)


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
@_redirecting
def item_add_household(request, uid):
    """A new family with its members: the registry's own household form."""
    batch = _draft_for_proposer(request, uid)
    data = request.POST or None
    walk_in = batch.walk_in or {}
    initial = {"village": batch.area_code}
    members_initial = None
    if walk_in:
        # A draft handed over by the service desk: start from what the person told there.
        initial.update(kk_number=walk_in.get("kk_number", ""), address=walk_in.get("address", ""))
        members_initial = [
            {
                "full_name": walk_in.get("name", ""),
                "nik": walk_in.get("nik", ""),
                "sex": walk_in.get("sex", ""),
                "birth_date": _iso_date(walk_in.get("birth_date")),
                "relationship": 1,
            }
        ]
    form = HouseholdForm(data, initial=initial)
    form.fields["village"].disabled = True
    formset = MemberFormSet(data, prefix="m", initial=members_initial)
    reason_form = ItemReasonForm(data, required=False)
    if request.method == "POST" and form.is_valid() & formset.is_valid() & reason_form.is_valid():
        household = dict(form.cleaned_data)
        household["village"] = batch.village
        members = [f.action_data() for f in formset.forms if f.has_changed() and f.cleaned_data]
        try:
            actions.add_household_item(
                request.user,
                batch,
                household=household,
                members=members,
                reason=reason_form.cleaned_data.get("reason", ""),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_household_errors(form, formset, exc)
        else:
            messages.success(request, _("Usulan keluarga baru ditambahkan."))
            return redirect("proposals:batch_detail", uid=batch.uid)
    return render(
        request,
        "proposals/household_item_form.html",
        {
            "title": _("Usulkan keluarga baru"),
            "batch": batch,
            "form": form,
            "formset": formset,
            "reason_form": reason_form,
        },
    )


# slug in the URL → (subject type, item kind, page title)
ITEM_KINDS = {
    "anggota": ("household", ItemKind.MEMBER_NEW),
    "ubah-penduduk": ("person", ItemKind.PERSON_CHANGE),
    "ubah-keluarga": ("household", ItemKind.HOUSEHOLD_CHANGE),
    "kematian": ("person", ItemKind.DEATH),
    "pindah": ("household", ItemKind.MOVE),
    "ppks": ("person", ItemKind.PPKS),
    "ppks-keluarga": ("household", ItemKind.PPKS),
}


def _item_forms(request, slug: str, subject, data):
    """The forms for one kind of item, and a function that calls the action with them."""
    user = request.user
    kind = ITEM_KINDS[slug][1]
    if kind == ItemKind.MEMBER_NEW:
        person_form = PersonForm(data)
        reason = ItemReasonForm(data, required=False)
        return [person_form, reason], lambda batch: actions.add_member_item(
            user, batch, subject, person_form.action_data(), reason.cleaned_data.get("reason", "")
        )
    if kind == ItemKind.PERSON_CHANGE:
        person_form = PersonForm(data, instance=subject)
        reason = ItemReasonForm(data)

        def person_change(batch):
            changes = {
                k: person_form.cleaned_data[k]
                for k in person_form.changed_data
                if k in p.PERSON_CHANGE_FIELDS
            }
            return actions.add_person_change_item(
                user, batch, subject, changes, reason.cleaned_data["reason"]
            )

        return [person_form, reason], person_change
    if kind == ItemKind.HOUSEHOLD_CHANGE:
        hh_form = HouseholdForm(data, instance=subject)
        hh_form.fields["village"].disabled = True
        reason = ItemReasonForm(data)

        def household_change(batch):
            changes = {
                k: hh_form.cleaned_data[k]
                for k in hh_form.changed_data
                if k in p.HOUSEHOLD_CHANGE_FIELDS
            }
            return actions.add_household_change_item(
                user, batch, subject, changes, reason.cleaned_data["reason"]
            )

        return [hh_form, reason], household_change
    if kind == ItemKind.DEATH:
        death = DeathForm(data)
        return [death], lambda batch: actions.add_death_item(
            user,
            batch,
            subject,
            on=death.cleaned_data["on"],
            reason=death.cleaned_data["reason"],
        )
    if kind == ItemKind.MOVE:
        move = MoveForm(data)
        return [move], lambda batch: actions.add_move_item(
            user,
            batch,
            subject,
            village=move.cleaned_data["village"],
            rt=move.cleaned_data["rt"],
            rw=move.cleaned_data["rw"],
            address=move.cleaned_data.get("address", ""),
            reason=move.cleaned_data["reason"],
        )
    household_level = slug == "ppks-keluarga"
    ppks = PPKSItemForm(
        data,
        categories=ppks_categories_for(user).filter(household_level=household_level),
        initial={"identified_on": date.today()},
    )
    return [ppks], lambda batch: actions.add_ppks_item(
        user,
        batch,
        category=ppks.cleaned_data["category"],
        person=None if household_level else subject,
        household=subject if household_level else None,
        identified_on=ppks.cleaned_data["identified_on"],
        note=ppks.cleaned_data.get("note", ""),
        reason=ppks.cleaned_data["reason"],
    )


@login_required
@require_http_methods(["GET", "POST"])
@_redirecting
def item_add(request, uid, kind, subject):
    """A new member, a change, a death, a move or a PPKS for someone already in the registry."""
    if kind not in ITEM_KINDS:
        raise Http404
    batch = _draft_for_proposer(request, uid)
    user = request.user
    subject_type, item_kind = ITEM_KINDS[kind]
    if subject_type == "person":
        obj = get_for_user_or_404(
            request, Person.objects.visible_to(user).select_related("household"), uid=subject
        )
        household = obj.household
    else:
        obj = get_for_user_or_404(request, Household.objects.visible_to(user), uid=subject)
        household = obj
    forms, submit = _item_forms(request, kind, obj, request.POST or None)
    valid = [f.is_valid() for f in forms]  # every form, so every error is shown
    if request.method == "POST" and all(valid):
        try:
            submit(batch)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(forms[0], exc)
        else:
            messages.success(request, _("Usulan ditambahkan."))
            return redirect("proposals:batch_detail", uid=batch.uid)
    return render(
        request,
        "proposals/item_form.html",
        {
            "title": ItemKind(item_kind).label,
            "batch": batch,
            "forms": forms,
            "subject": obj,
            "household": household,
        },
    )


@login_required
@require_POST
@_redirecting
def item_remove(request, uid):
    item = _item(request, uid)
    batch = _draft_for_proposer(request, item.batch.uid)
    try:
        actions.remove_item(request.user, item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(actions._messages(exc)))
    else:
        messages.success(request, _("Butir usulan dihapus dari draf."))
    return redirect("proposals:batch_detail", uid=batch.uid)
