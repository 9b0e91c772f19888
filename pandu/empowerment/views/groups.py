"""KUBE groups (members, business, grant) and UEP grants."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.regions.models import Area
from pandu.registry.choices import Relationship
from pandu.registry.models import Household

from .. import actions
from ..capabilities import ECap
from ..filtersets import GrantFilterSet, GroupFilterSet
from ..forms import (
    GroupEditForm,
    GroupForm,
    GroupGrantForm,
    MemberEndForm,
    MemberForm,
    UepGrantForm,
)
from ..models import KubeMember, UepGrant
from ..tables import GrantTable, GroupTable
from ._common import form_errors, groups, needs, refused


@needs(ECap.VIEW)
def group_list(request):
    user = request.user
    page = build_list(
        request,
        groups(user)
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("village", "name"),
        GroupTable,
        filterset_class=GroupFilterSet,
    )
    return render(
        request,
        "empowerment/list.html",
        {
            "title": _("Kelompok KUBE"),
            "table": page.table,
            "filter": page.filterset,
            "links": [(reverse("empowerment:group_create"), _("Kelompok baru"))]
            if user.can(ECap.ACCOMPANY)
            else [],
        },
    )


@needs(ECap.ACCOMPANY)
@require_http_methods(["GET", "POST"])
def group_create(request):
    user = request.user
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        village = Area.objects.filter(code=data.pop("village").strip()).first()
        try:
            group = actions.create_group(user, village=village, **data)
        except PermissionDenied:
            form.add_error("village", _("Desa ini di luar wilayah kerja Anda."))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Kelompok KUBE %(name)s dibentuk.") % {"name": group.name})
            return redirect("empowerment:group_detail", uid=group.uid)
    return render(
        request,
        "empowerment/form.html",
        {
            "title": _("Kelompok KUBE baru"),
            "form": form,
            "back_url": reverse("empowerment:group_list"),
        },
    )


@needs(ECap.VIEW)
def group_detail(request, uid):
    user = request.user
    group = get_for_user_or_404(request, groups(user), uid=uid)
    active = group.status == "aktif"
    may_accompany = user.can(ECap.ACCOMPANY)
    return render(
        request,
        "empowerment/group_detail.html",
        {
            "title": group.name,
            "group": group,
            "members": group.members.select_related("person", "plan").order_by(
                "left_on", "joined_on", "id"
            ),
            "member_form": MemberForm() if active and may_accompany else None,
            "end_form": MemberEndForm() if may_accompany else None,
            "grant_form": GroupGrantForm(
                initial={
                    "amount": group.grant_amount,
                    "received_on": group.grant_received_on,
                    "note": group.grant_note,
                }
            )
            if user.can(ECap.MANAGE)
            else None,
            "may_edit": may_accompany,
            "history": group.history.select_related("history_user").order_by("-history_id")[:30],
        },
    )


@needs(ECap.ACCOMPANY)
@require_http_methods(["GET", "POST"])
def group_edit(request, uid):
    user = request.user
    group = get_for_user_or_404(request, groups(user, "accompany"), uid=uid)
    form = GroupEditForm(
        request.POST or None,
        initial={
            "name": group.name,
            "business_type": group.business_type,
            "sector": group.sector,
            "formed_on": group.formed_on,
            "status": group.status,
            "note": group.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_group(user, group, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "group change refused", group)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Data kelompok disimpan."))
            return redirect("empowerment:group_detail", uid=group.uid)
    return render(
        request,
        "empowerment/form.html",
        {
            "title": _("Ubah kelompok %(name)s") % {"name": group.name},
            "form": form,
            "back_url": reverse("empowerment:group_detail", args=[group.uid]),
        },
    )


@needs(ECap.ACCOMPANY)
@require_POST
def member_add(request, uid):
    user = request.user
    group = get_for_user_or_404(request, groups(user, "accompany"), uid=uid)
    form = MemberForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("empowerment:group_detail", uid=group.uid)
    data = form.cleaned_data
    try:
        person = actions.person_by_nik(user, data["nik"])
        member = actions.add_member(
            user,
            group,
            person=person,
            role=data["role"],
            business=data["business"],
            on=data.get("joined_on"),
        )
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(
            request, _("%(name)s bergabung dengan kelompok.") % {"name": member.person.full_name}
        )
    return redirect("empowerment:group_detail", uid=group.uid)


@needs(ECap.ACCOMPANY)
@require_POST
def member_end(request, uid):
    user = request.user
    member = get_for_user_or_404(
        request, KubeMember.objects.restrict(user, "accompany").select_related("group"), uid=uid
    )
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.end_member(
                user,
                member,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Anggota keluar dari kelompok."))
    return redirect("empowerment:group_detail", uid=member.group.uid)


@needs(ECap.MANAGE)
@require_POST
def group_grant(request, uid):
    user = request.user
    group = get_for_user_or_404(request, groups(user, "manage"), uid=uid)
    form = GroupGrantForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.record_group_grant(user, group, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Hibah kelompok dicatat."))
    return redirect("empowerment:group_detail", uid=group.uid)


# --- UEP grants -----------------------------------------------------------------------------------


@needs(ECap.VIEW)
def grant_list(request):
    user = request.user
    page = build_list(
        request,
        UepGrant.objects.visible_to(user)
        .select_related("household", "recipient", "plan")
        .order_by("-granted_on", "-id"),
        GrantTable,
        filterset_class=GrantFilterSet,
    )
    return render(
        request,
        "empowerment/list.html",
        {
            "title": _("Hibah UEP"),
            "table": page.table,
            "filter": page.filterset,
            "links": [(reverse("empowerment:grant_create"), _("Catat hibah UEP"))]
            if user.can(ECap.MANAGE)
            else [],
        },
    )


@needs(ECap.MANAGE)
@require_http_methods(["GET", "POST"])
def grant_create(request):
    user = request.user
    form = UepGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kk = data.pop("kk_number").strip()
        household = Household.objects.visible_to(user).filter(kk_number=kk).first()
        if household is None:
            form.add_error(
                "kk_number", _("Nomor KK ini tidak ditemukan pada registri yang dapat Anda lihat.")
            )
        else:
            head = household.members.filter(status="active", relationship=Relationship.HEAD).first()
            try:
                actions.record_uep_grant(user, household, recipient=head, **data)
            except PermissionDenied:
                form.add_error("kk_number", _("Keluarga ini di luar wilayah kerja Anda."))
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Hibah UEP dicatat."))
                return redirect("empowerment:grant_list")
    return render(
        request,
        "empowerment/form.html",
        {
            "title": _("Hibah UEP baru"),
            "form": form,
            "back_url": reverse("empowerment:grant_list"),
        },
    )
