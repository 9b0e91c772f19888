"""One activity: its target and progress, participants with attendance, and the forms its
implementer's focal point (or the coordinator) uses. A NIK arrives in the form body only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.forms import add_action_errors

from .. import actions, forms
from ..capabilities import PCap
from ..models import Activity, Implementer, Participant
from ._common import form_errors, needs, refused

READERS = (PCap.INTEGRATED_VIEW, PCap.FOCAL_POINT)


def _workable(request, uid) -> Activity:
    return get_for_user_or_404(
        request,
        Activity.objects.restrict(request.user, "work").select_related("implementer__programme"),
        uid=uid,
    )


@needs(*READERS)
def activity_detail(request, uid):
    activity = get_for_user_or_404(
        request,
        Activity.objects.visible_to(request.user).select_related(
            "implementer__programme", "implementer__organisation", "location"
        ),
        uid=uid,
    )
    can_work = Activity.objects.restrict(request.user, "work").filter(pk=activity.pk).exists()
    participants = Participant.objects.visible_to(request.user).filter(activity=activity)
    return render(
        request,
        "programs/activity_detail.html",
        {
            "title": activity.name,
            "activity": activity,
            "programme": activity.implementer.programme,
            "participants": participants.order_by("name"),
            "present": participants.filter(attendance="hadir").count(),
            "can_work": can_work,
            "progress_form": forms.ProgressForm(
                initial={
                    "status": activity.status,
                    "achieved_quantity": activity.achieved_quantity,
                    "outputs": activity.outputs,
                }
            ),
            "participant_form": forms.ParticipantForm(),
            "attendance_choices": forms.c.Attendance.choices,
        },
    )


@needs(*READERS)
@require_http_methods(["GET", "POST"])
def activity_create(request, uid):
    implementer = get_for_user_or_404(
        request,
        Implementer.objects.restrict(request.user, "work").select_related("programme"),
        uid=uid,
    )
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.save_activity(request.user, implementer, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Kegiatan ditambahkan."))
            return redirect("programs:activity_detail", activity.uid)
    return render(
        request,
        "programs/form.html",
        {
            "title": _("Kegiatan baru: %(who)s") % {"who": implementer},
            "form": form,
            "back": implementer.programme,
        },
    )


@needs(*READERS)
@require_POST
def activity_progress(request, uid):
    activity = _workable(request, uid)
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.record_progress(request.user, activity, **form.cleaned_data)
            messages.success(request, _("Perkembangan kegiatan disimpan."))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
    return redirect("programs:activity_detail", activity.uid)


@needs(*READERS)
@require_POST
def participant_add(request, uid):
    activity = _workable(request, uid)
    form = forms.ParticipantForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:activity_detail", activity.uid)
    data = form.cleaned_data
    try:
        if data["nik"].strip():
            actions.add_registry_participant(
                request.user,
                activity,
                nik=data["nik"],
                group=data["group"],
                attendance=data["attendance"],
            )
        else:
            actions.add_named_participant(
                request.user,
                activity,
                name=data["name"],
                group=data["group"],
                affiliation=data["affiliation"],
                attendance=data["attendance"],
            )
        messages.success(request, _("Peserta ditambahkan."))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect("programs:activity_detail", activity.uid)


@needs(*READERS)
@require_POST
def participant_attendance(request, uid):
    activity = _workable(request, uid)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:activity_detail", activity.uid)
    participant = get_for_user_or_404(
        request,
        Participant.objects.restrict(request.user, "work").filter(activity=activity),
        uid=form.cleaned_data["participant"],
    )
    try:
        actions.set_attendance(request.user, participant, form.cleaned_data["attendance"])
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    if request.htmx:
        return render(
            request,
            "programs/_participant_row.html",
            {
                "p": participant,
                "activity": activity,
                "can_work": True,
                "attendance_choices": forms.c.Attendance.choices,
            },
        )
    return redirect("programs:activity_detail", activity.uid)
