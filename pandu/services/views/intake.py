"""Intake pages: the front desk's record of a person's visit and needs."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.lists import build_list
from pandu.registry.filtersets import search_people
from pandu.registry.models import Person

from .. import actions, forms
from .. import choices as c
from ..capabilities import SCap
from ..filtersets import IntakeFilterSet
from ..models import Case, Intake, ServicePoint
from ..pdf import receipt_pdf
from ..tables import IntakeTable
from ._common import (
    NeedsReason,
    _errors_to_form,
    _fail,
    _grant,
    _granted,
    _post_action,
    _reason_page,
    gated,
    needs,
)


@needs(SCap.INTAKE)
@require_POST
def person_search(request):
    """htmx: people matching a NIK or a name in the user's area, with their open intakes.

    POST only: what is typed is often a NIK, which must not travel in an address."""
    q = (request.POST.get("q") or "").strip()
    results = None
    if q and request.user.can(Cap.VIEW_REGISTRY):
        people = list(
            search_people(Person.objects.visible_to(request.user).active(), q)
            .select_related("household__village")
            .order_by("name_key", "id")[:20]
        )
        open_counts = dict(
            Intake.objects.visible_to(request.user)
            .open()
            .filter(person__in=people)
            .values("person")
            .annotate(n=Count("id"))
            .values_list("person", "n")
        )
        for p in people:
            p.open_intakes = open_counts.get(p.pk, 0)
        results = people
    return render(request, "services/_person_results.html", {"results": results, "q": q})


@needs(SCap.INTAKE)
@require_http_methods(["GET", "POST"])
def intake_create(request):
    user = request.user
    person = None
    duplicates = None
    person_uid = request.POST.get("person") or request.GET.get("penduduk")
    if person_uid:
        try:
            person = (
                Person.objects.visible_to(user)
                .select_related("household__village")
                .filter(uid=person_uid)
                .first()
            )
        except ValidationError:
            person = None
    form = forms.IntakeForm(
        request.POST or None,
        user=user,
        initial={"person": person.uid} if person is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        subject = actions.Subject(
            person=person,
            name=d["name"],
            nik=d["nik"],
            kk_number=d["kk_number"],
            sex=d["sex"],
            birth_date=d["birth_date"],
            village=d["village"],
            address=d["address"],
            phone=d["phone"],
            propose_to_registry=d["propose_to_registry"],
        )
        if person is not None:
            subject.phone = d["phone"]
        try:
            intake = actions.create_intake(
                user,
                service_point=d["service_point"],
                kind=d["kind"],
                channel=d["channel"],
                subject=subject,
                needs=[(n, "") for n in d["needs"]],
                description=d["description"],
                since=d["since"],
                urgency=d["urgency"],
                sensitive_topic=d["sensitive_topic"] or "",
                ppks_categories=d["ppks_categories"],
                reporter_name=d["reporter_name"],
                reporter_relationship=d["reporter_relationship"],
                confirm_duplicate=d["confirm_duplicate"],
            )
        except actions.DuplicateIntake as exc:
            duplicates = exc.duplicates
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if intake.sensitive:
                _grant(request, [intake], _("Pencatatan pengaduan baru"))
            messages.success(
                request,
                _("Tercatat dengan nomor tiket %(ticket)s.") % {"ticket": intake.public_reference},
            )
            return redirect("services:intake_detail", intake.uid)
    return render(
        request,
        "services/intake_form.html",
        {
            "title": _("Pengaduan/permohonan baru"),
            "form": form,
            "person": person,
            "duplicates": duplicates,
            "can_search": request.user.can(Cap.VIEW_REGISTRY),
        },
    )


def _intake(request, uid) -> Intake:
    intake = get_for_user_or_404(
        request,
        Intake.objects.visible_to(request.user).select_related(
            "service_point", "person__household__village", "received_by"
        ),
        uid=uid,
    )
    if intake.sensitive and not _granted(request, intake.uid):
        case = getattr(intake, "case", None)  # the intake's own case, for its grant
        if case is None or not _granted(request, case.uid):
            raise NeedsReason(
                reverse("services:intake_reason", args=[intake.uid]) + "?next=" + request.path
            )
    return intake


@needs(SCap.INTAKE_VIEW)
def intake_list(request):
    qs = Intake.objects.visible_to(request.user).select_related("service_point", "received_by")
    intakes = build_list(
        request,
        qs.prefetch_related("needs").order_by("-received_at", "-id"),
        IntakeTable,
        filterset_class=IntakeFilterSet,
    )
    return render(
        request,
        "services/intake_list.html",
        {
            "title": _("Pengaduan dan permohonan"),
            "table": intakes.table,
            "status": request.GET.get("status"),
            "q": (request.GET.get("q") or "").strip(),
            "statuses": c.IntakeStatus.choices,
        },
    )


@needs(SCap.INTAKE_VIEW)
@gated
def intake_detail(request, uid):
    intake = _intake(request, uid)
    case = getattr(intake, "case", None)
    from pandu.proposals.models import ProposalBatch
    from pandu.registry.history import history_entries

    # Where the person went to be proposed: shown as a link to those who may open it.
    proposal = (
        ProposalBatch.objects.visible_to(request.user)
        .filter(pk=intake.registry_proposal_id)
        .select_related("village")
        .first()
        if intake.registry_proposal_id
        else None
    )

    return render(
        request,
        "services/intake_detail.html",
        {
            "title": intake.ticket_number,
            "intake": intake,
            "case": case,
            "needs_list": intake.needs.all(),
            "ppks": intake.ppks_categories.all(),
            "proposal": proposal,
            "assign_form": forms.AssignForm(area_code=intake.area_code),
            "resolve_form": forms.ResolveForm(),
            "can_intake": request.user.can(SCap.INTAKE) or request.user.can(SCap.CASE_WORK),
            "history": history_entries(intake) if request.user.can(Cap.VIEW_HISTORY) else None,
            "status_url": request.build_absolute_uri(reverse("services:public_status"))
            + "?tiket="
            + intake.public_reference,
        },
    )


@needs(SCap.INTAKE_VIEW)
@require_http_methods(["GET", "POST"])
def intake_reason(request, uid):
    intake = get_for_user_or_404(request, Intake.objects.visible_to(request.user), uid=uid)
    return _reason_page(
        request, [intake], intake.ticket_number, reverse("services:intake_detail", args=[uid])
    )


@needs(SCap.INTAKE_VIEW)
@gated
def intake_receipt(request, uid):
    intake = _intake(request, uid)
    url = (
        request.build_absolute_uri(reverse("services:public_status"))
        + "?tiket="
        + intake.public_reference
    )
    return private_file_response(
        receipt_pdf(intake, url),
        filename=f"tanda-terima-{intake.ticket_number}.pdf",
        content_type="application/pdf",
    )


@needs(SCap.INTAKE, SCap.CASE_WORK)
@require_POST
@gated
def intake_open_case(request, uid):
    intake = _intake(request, uid)
    form = forms.AssignForm(request.POST, area_code=intake.area_code)
    back = reverse("services:intake_detail", args=[uid])
    if not form.is_valid():
        messages.error(request, _("Pilih petugas dari daftar."))
        return redirect(back)
    try:
        case = actions.open_case(request.user, intake, assign_to=form.cleaned_data["assign_to"])
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
        return redirect(back)
    messages.success(request, _("Kasus dibuka."))
    if case.sensitive:
        _grant(request, [case], _("Membuka kasus dari pengaduan"))
    if Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
        return redirect("services:case_detail", case.uid)
    return redirect(back)


@needs(SCap.INTAKE)
@require_POST
@gated
def intake_resolve(request, uid):
    intake = _intake(request, uid)
    form = forms.ResolveForm(request.POST)
    text = form.data.get("resolution", "")
    return _post_action(
        request,
        lambda: actions.resolve_at_desk(request.user, intake, text),
        _("Pengaduan diselesaikan di loket."),
        reverse("services:intake_detail", args=[uid]),
    )


@needs(SCap.INTAKE)
@require_POST
def intake_queue(request, uid):
    intake = get_for_user_or_404(request, Intake.objects.visible_to(request.user), uid=uid)
    status = request.POST.get("queue_status", "")
    try:
        actions.set_queue_status(request.user, intake, status)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    nxt = reverse("services:queue") + "?titik=" + str(intake.service_point.uid)
    return redirect(nxt)


@needs(SCap.INTAKE_VIEW)
def queue(request):
    """Today's visitors at one service point, oldest first; refreshes itself every 30 seconds."""
    user = request.user
    points = ServicePoint.objects.visible_to(user).filter(active=True)
    point = None
    chosen = request.GET.get("titik")
    if chosen:
        point = get_for_user_or_404(request, points, uid=chosen)
    else:
        point = (
            points.filter(staff__user=user, staff__ended_on__isnull=True).first() or points.first()
        )
    today = timezone.localdate()
    rows = []
    if point is not None:
        start = datetime.combine(today, datetime.min.time(), tzinfo=timezone.get_current_timezone())
        visible = set(
            Intake.objects.visible_to(user)
            .filter(service_point=point, received_at__gte=start)
            .values_list("pk", flat=True)
        )
        rows = list(
            Intake.objects.filter(service_point=point, received_at__gte=start)
            .select_related("received_by")
            .prefetch_related("needs")
            .order_by("received_at")
        )
        for r in rows:
            r.shown = r.pk in visible and not r.sensitive
            r.openable = r.pk in visible
    ctx = {
        "title": _("Antrean hari ini"),
        "point": point,
        "points": points,
        "rows": rows,
        "today": today,
        "waiting": sum(1 for r in rows if r.queue_status == c.QueueStatus.WAITING),
        "can_intake": user.can(SCap.INTAKE),
    }
    template = "services/_queue_rows.html" if request.htmx else "services/queue.html"
    return render(request, template, ctx)
