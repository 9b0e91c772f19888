"""Pages of the one-stop service. Views parse input and call ``actions``; records are fetched
through ``visible_to`` with ``get_for_user_or_404`` (outside the scope: 404, logged).

A sensitive case (or intake) asks for a reason before it opens; the reason goes to the access log
(``view_sensitive``) and lets the user work on that case for 15 minutes in this session.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, record_access
from pandu.core.forms import add_action_errors
from pandu.core.models import AccessLog
from pandu.regions.models import Area
from pandu.registry.filtersets import search_people
from pandu.registry.models import Person

from . import actions, forms, public, reports
from . import choices as c
from .assessment import answers_for_display, assessment_form_class
from .models import (
    Agreement,
    Case,
    Goal,
    Holiday,
    Intake,
    Notification,
    PartnerAgency,
    PartnerMembership,
    PartnerService,
    PlanAction,
    Referral,
    ReferralAttachment,
    ServicePoint,
    ServicePointStaff,
    Task,
)
from .pdf import receipt_pdf, referral_letter_pdf
from .permissions import SCap, can
from .queries import supervised_ids

GRANT_SECONDS = 15 * 60
PAGE = 100
TEAM_ITEMS = 5  # overdue items shown per worker on the supervisor's list
TEAM_WORKERS = 30  # workers shown there, most overdue first


# --- Helpers ----------------------------------------------------------------------------------


def _need(request, *caps: str) -> None:
    """A page the role may not use at all answers 404 (like a record outside the area), logged."""
    if not any(can(request.user, cap) for cap in caps):
        record_access(request, AccessLog.Kind.DENIED, detail="role lacks " + "/".join(caps))
        raise Http404


def needs(*caps: str):
    def wrap(view):
        @wraps(view)
        @login_required
        def inner(request, *args, **kwargs):
            _need(request, *caps)
            return view(request, *args, **kwargs)

        return inner

    return wrap


_errors_to_form = add_action_errors


def _fail(request, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError):
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.error(request, str(exc) or _("Anda tidak berwenang melakukan ini."))


def _form_page(
    request, form, title: str, *, subtitle: str = "", back: str = "", submit="", **extra
):
    ctx = {
        "title": title,
        "subtitle": subtitle,
        "form": form,
        "back": back,
        "submit": submit or _("Simpan"),
        "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
    }
    ctx.update(extra)
    return render(request, "services/form.html", ctx)


def _granted(request, uid) -> bool:
    at = request.session.get("svc_grants", {}).get(str(uid))
    return at is not None and time.time() - at < GRANT_SECONDS


def _grant(request, objs, reason: str) -> None:
    now = time.time()
    grants = {
        k: v for k, v in request.session.get("svc_grants", {}).items() if now - v < GRANT_SECONDS
    }
    for obj in objs:
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, obj, detail=reason)
        grants[str(obj.uid)] = now
    request.session["svc_grants"] = grants


class NeedsReason(Exception):
    def __init__(self, url: str):
        self.url = url


def _case(request, uid, *, related=True) -> Case:
    qs = Case.objects.visible_to(request.user)
    if related:
        qs = qs.select_related(
            "intake__service_point", "intake__person", "assigned_to", "service_point"
        )
    case = get_for_user_or_404(request, qs, uid=uid)
    if case.sensitive and not _granted(request, case.uid):
        raise NeedsReason(
            reverse("services:case_reason", args=[case.uid]) + "?next=" + request.path
        )
    return case


def _work_case(request, uid) -> Case:
    """A case the user may write on (the assigned worker, the supervisor, the administrator).

    Others who may read it get a 404 for its forms, logged like any refusal.
    """
    case = _case(request, uid)
    if not actions.may_work(request.user, case):
        record_access(request, AccessLog.Kind.DENIED, case, detail="not assigned or supervising")
        raise Http404
    return case


def gated(view):
    """Send the user to the reason page when a sensitive record needs one."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NeedsReason as exc:
            return redirect(exc.url)

    return inner


def _post_action(request, fn, success: str, back: str):
    try:
        fn()
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return redirect(back)


# --- Home -------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    if can(user, SCap.PARTNER) and not can(user, SCap.CASE_VIEW):
        return redirect("services:inbox")
    _need(request, SCap.SETUP_VIEW, SCap.INTAKE_VIEW, SCap.CASE_VIEW, SCap.REPORTS)
    today = timezone.localdate()
    ctx: dict = {"title": _("Layanan terpadu"), "today": today}
    if can(user, SCap.CASE_WORK):
        mine = Case.objects.filter(assigned_to=user).exclude(status=c.CaseStatus.CLOSED)
        ctx["my_cases"] = mine.count()
        ctx["my_overdue_tasks"] = Task.objects.filter(
            assigned_to=user, done_at__isnull=True, due_on__lt=today
        ).count()
        ctx["to_approve"] = (
            Case.objects.visible_to(user)
            .filter(
                Q(plan_status=c.PlanStatus.SUBMITTED) | Q(status=c.CaseStatus.CLOSURE_REQUESTED),
                assigned_to__in=supervised_ids(user),
            )
            .count()
        )
    if can(user, SCap.INTAKE_VIEW):
        ctx["new_intakes"] = (
            Intake.objects.visible_to(user).filter(status=c.IntakeStatus.NEW).count()
        )
    if can(user, SCap.SETUP_VIEW):
        ctx["expiring"] = Agreement.objects.visible_to(user).expiring_within(90, today).count()
    ctx["unread"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
    ctx["points"] = list(
        ServicePoint.objects.filter(staff__user=user, staff__ended_on__isnull=True).distinct()
    )
    return render(request, "services/home.html", ctx)


# --- Service points ---------------------------------------------------------------------------


@needs(SCap.SETUP_VIEW)
def point_list(request):
    points = (
        ServicePoint.objects.visible_to(request.user)
        .select_related("area")
        .annotate(staff_count=Count("staff", filter=Q(staff__ended_on__isnull=True)))
    )
    return render(
        request, "services/point_list.html", {"title": _("Titik layanan"), "points": points}
    )


@needs(SCap.SETUP_VIEW)
def point_detail(request, uid):
    point = get_for_user_or_404(
        request, ServicePoint.objects.visible_to(request.user).select_related("area"), uid=uid
    )
    staff = point.staff.filter(ended_on__isnull=True).select_related("user").order_by("role")
    return render(
        request,
        "services/point_detail.html",
        {
            "title": point.name,
            "point": point,
            "staff": staff,
            "staff_form": forms.StaffForm(area_code=point.area_id),
        },
    )


def _point_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in actions.POINT_FIELDS}


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def point_create(request):
    form = forms.ServicePointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = actions.create_service_point(request.user, **_point_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, _("Titik layanan disimpan."))
            return redirect("services:point_detail", point.uid)
    return _form_page(request, form, _("Titik layanan baru"), back=reverse("services:point_list"))


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def point_edit(request, uid):
    point = get_for_user_or_404(request, ServicePoint.objects.visible_to(request.user), uid=uid)
    initial = {k: getattr(point, k) for k in actions.POINT_FIELDS}
    initial["area"] = point.area_id
    form = forms.ServicePointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_service_point(request.user, point, **_point_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Titik layanan disimpan."))
            return redirect("services:point_detail", point.uid)
    return _form_page(
        request,
        form,
        _("Ubah titik layanan"),
        subtitle=point.name,
        back=reverse("services:point_detail", args=[uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def staff_add(request, uid):
    point = get_for_user_or_404(request, ServicePoint.objects.visible_to(request.user), uid=uid)
    form = forms.StaffForm(request.POST, area_code=point.area_id)
    back = reverse("services:point_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.add_staff(
            request.user, point, form.cleaned_data["user"], form.cleaned_data["role"]
        ),
        _("Petugas ditambahkan."),
        back,
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def staff_end(request, uid):
    point = get_for_user_or_404(request, ServicePoint.objects.visible_to(request.user), uid=uid)
    post = ServicePointStaff.objects.filter(
        service_point=point, pk=request.POST.get("post") or 0, ended_on__isnull=True
    ).first()
    back = reverse("services:point_detail", args=[uid])
    if post is None:
        raise Http404
    return _post_action(
        request, lambda: actions.end_staff(request.user, post), _("Tugas diakhiri."), back
    )


# --- Partners ---------------------------------------------------------------------------------


@needs(SCap.SETUP_VIEW)
def partner_list(request):
    partners = (
        PartnerAgency.objects.visible_to(request.user)
        .select_related("area")
        .prefetch_related(Prefetch("services", queryset=PartnerService.objects.filter(active=True)))
    )
    return render(
        request, "services/partner_list.html", {"title": _("Mitra"), "partners": partners}
    )


@needs(SCap.SETUP_VIEW)
def partner_detail(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    return render(
        request,
        "services/partner_detail.html",
        {
            "title": agency.name,
            "agency": agency,
            "services": agency.services.prefetch_related("areas_served"),
            "members": agency.members.filter(active=True).select_related("user"),
            "agreements": agency.agreements.all(),
            "member_form": forms.PartnerMemberForm(),
        },
    )


def _partner_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in actions.PARTNER_FIELDS}


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def partner_create(request):
    form = forms.PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = actions.create_partner(request.user, **_partner_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, _("Mitra disimpan."))
            return redirect("services:partner_detail", agency.uid)
    return _form_page(request, form, _("Mitra baru"), back=reverse("services:partner_list"))


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def partner_edit(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    initial = {k: getattr(agency, k) for k in actions.PARTNER_FIELDS}
    initial["area"] = agency.area_id
    form = forms.PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_partner(request.user, agency, **_partner_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Mitra disimpan."))
            return redirect("services:partner_detail", agency.uid)
    return _form_page(
        request,
        form,
        _("Ubah mitra"),
        subtitle=agency.name,
        back=reverse("services:partner_detail", args=[uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_create(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    return _service_form(request, agency, None)


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_edit(request, uid):
    service = get_for_user_or_404(
        request,
        PartnerService.objects.filter(agency__in=PartnerAgency.objects.visible_to(request.user)),
        uid=uid,
    )
    return _service_form(request, service.agency, service)


def _service_form(request, agency, service):
    initial = None
    if service is not None:
        initial = {k: getattr(service, k) for k in actions.SERVICE_FIELDS}
        initial["areas_served"] = ", ".join(a.code for a in service.areas_served.all())
    form = forms.PartnerServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.save_partner_service(request.user, agency, service, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Layanan mitra disimpan."))
            return redirect("services:partner_detail", agency.uid)
    return _form_page(
        request,
        form,
        _("Layanan mitra") if service else _("Layanan mitra baru"),
        subtitle=agency.name,
        back=reverse("services:partner_detail", args=[agency.uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def member_add(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    form = forms.PartnerMemberForm(request.POST)
    back = reverse("services:partner_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.add_partner_member(
            request.user, agency, form.cleaned_data["user"], form.cleaned_data["position"]
        ),
        _("Anggota mitra ditambahkan."),
        back,
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def member_end(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    membership = PartnerMembership.objects.filter(
        agency=agency, pk=request.POST.get("membership") or 0, active=True
    ).first()
    if membership is None:
        raise Http404
    return _post_action(
        request,
        lambda: actions.end_partner_member(request.user, membership),
        _("Keanggotaan diakhiri."),
        reverse("services:partner_detail", args=[uid]),
    )


# --- Agreements -------------------------------------------------------------------------------


@needs(SCap.SETUP_VIEW)
def agreement_list(request):
    today = timezone.localdate()
    qs = Agreement.objects.visible_to(request.user).select_related("agency", "area")
    expiring = request.GET.get("segera") == "1"
    if expiring:
        qs = qs.expiring_within(90, today)
    return render(
        request,
        "services/agreement_list.html",
        {
            "title": _("Perjanjian kerja sama"),
            "agreements": qs.order_by("ends_on"),
            "expiring": expiring,
            "expiring_count": Agreement.objects.visible_to(request.user)
            .expiring_within(90, today)
            .count(),
            "today": today,
        },
    )


@needs(SCap.SETUP_VIEW)
def agreement_detail(request, uid):
    agreement = get_for_user_or_404(
        request,
        Agreement.objects.visible_to(request.user).select_related("agency", "area"),
        uid=uid,
    )
    from pandu.registry.history import history_entries

    return render(
        request,
        "services/agreement_detail.html",
        {
            "title": agreement.title,
            "agreement": agreement,
            "extensions": agreement.extensions.select_related("recorded_by"),
            "history": history_entries(agreement),
            "can_manage": can(request.user, SCap.SETUP_MANAGE),
        },
    )


@needs(SCap.SETUP_VIEW)
def agreement_document(request, uid):
    """The signed PDF: only to signed-in staff whose area the agreement is in."""
    agreement = get_for_user_or_404(request, Agreement.objects.visible_to(request.user), uid=uid)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"perjanjian-{agreement.uid}.pdf",
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    form = forms.AgreementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document", None)
        try:
            agreement = actions.create_agreement(request.user, document=document, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, _("Perjanjian dicatat."))
            return redirect("services:agreement_detail", agreement.uid)
    return _form_page(
        request, form, _("Perjanjian kerja sama baru"), back=reverse("services:agreement_list")
    )


def _agreement_form(request, uid, form_class, title, run, success):
    agreement = get_for_user_or_404(request, Agreement.objects.visible_to(request.user), uid=uid)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(agreement, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect("services:agreement_detail", agreement.uid)
    return _form_page(
        request,
        form,
        title,
        subtitle=str(agreement),
        back=reverse("services:agreement_detail", args=[uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_upload(request, uid):
    return _agreement_form(
        request,
        uid,
        forms.DocumentForm,
        _("Unggah dokumen perjanjian"),
        lambda a, d: actions.attach_agreement_document(request.user, a, d["document"]),
        _("Dokumen disimpan."),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_extend(request, uid):
    return _agreement_form(
        request,
        uid,
        forms.ExtendAgreementForm,
        _("Perpanjang perjanjian"),
        lambda a, d: actions.extend_agreement(
            request.user,
            a,
            signed_on=d["signed_on"],
            years=d["years"],
            new_end=d["new_end"],
            reference=d["reference"],
        ),
        _("Perjanjian diperpanjang."),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_terminate(request, uid):
    return _agreement_form(
        request,
        uid,
        forms.TerminateAgreementForm,
        _("Akhiri perjanjian lebih awal"),
        lambda a, d: actions.terminate_agreement(request.user, a, **d),
        _("Pengakhiran perjanjian dicatat."),
    )


# --- Holidays ---------------------------------------------------------------------------------


@needs(SCap.SETUP_VIEW)
@require_http_methods(["GET", "POST"])
def holidays(request):
    """National holidays and collective leave: the service-level clocks skip them."""
    manage = can(request.user, SCap.SETUP_MANAGE)
    form = forms.HolidayForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            _need(request, SCap.SETUP_MANAGE)
        if form.is_valid():
            try:
                actions.add_holiday(request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Hari libur dicatat."))
                return redirect("services:holidays")
    today = timezone.localdate()
    return render(
        request,
        "services/holidays.html",
        {
            "title": _("Hari libur nasional"),
            "rows": Holiday.objects.filter(date__gte=today.replace(month=1, day=1)),
            "form": form,
            "manage": manage,
        },
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def holiday_delete(request):
    holiday = Holiday.objects.filter(pk=request.POST.get("holiday") or 0).first()
    if holiday is None:
        raise Http404
    return _post_action(
        request,
        lambda: actions.remove_holiday(request.user, holiday),
        _("Hari libur dihapus."),
        reverse("services:holidays"),
    )


# --- Intake -----------------------------------------------------------------------------------


@needs(SCap.INTAKE)
def person_search(request):
    """htmx: people matching a NIK or a name in the user's area, with their open intakes."""
    q = (request.GET.get("q") or "").strip()
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
                _("Tercatat dengan nomor tiket %(ticket)s.") % {"ticket": intake.ticket_number},
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
        case = Case.objects.filter(intake=intake).first()
        if case is None or not _granted(request, case.uid):
            raise NeedsReason(
                reverse("services:intake_reason", args=[intake.uid]) + "?next=" + request.path
            )
    return intake


@needs(SCap.INTAKE_VIEW)
def intake_list(request):
    qs = Intake.objects.visible_to(request.user).select_related("service_point", "received_by")
    status = request.GET.get("status")
    if status in c.IntakeStatus.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(ticket_number__icontains=q) | Q(name__icontains=q))
    rows = list(qs.prefetch_related("needs").order_by("-received_at")[:PAGE])
    return render(
        request,
        "services/intake_list.html",
        {
            "title": _("Pengaduan dan permohonan"),
            "intakes": rows,
            "status": status,
            "q": q,
            "statuses": c.IntakeStatus.choices,
        },
    )


@needs(SCap.INTAKE_VIEW)
@gated
def intake_detail(request, uid):
    intake = _intake(request, uid)
    case = Case.objects.filter(intake=intake).select_related("assigned_to").first()
    from pandu.registry.history import history_entries

    return render(
        request,
        "services/intake_detail.html",
        {
            "title": intake.ticket_number,
            "intake": intake,
            "case": case,
            "needs_list": intake.needs.all(),
            "ppks": intake.ppks_categories.all(),
            "assign_form": forms.AssignForm(area_code=intake.area_code),
            "resolve_form": forms.ResolveForm(),
            "can_intake": can(request.user, SCap.INTAKE) or can(request.user, SCap.CASE_WORK),
            "history": history_entries(intake) if request.user.can(Cap.VIEW_HISTORY) else None,
            "status_url": request.build_absolute_uri(reverse("services:public_status"))
            + "?tiket="
            + intake.ticket_number,
        },
    )


@needs(SCap.INTAKE_VIEW)
@require_http_methods(["GET", "POST"])
def intake_reason(request, uid):
    intake = get_for_user_or_404(request, Intake.objects.visible_to(request.user), uid=uid)
    return _reason_page(
        request, [intake], intake.ticket_number, reverse("services:intake_detail", args=[uid])
    )


def _reason_page(request, objs, label: str, default_next: str):
    form = forms.AccessReasonForm(request.POST or None)
    nxt = request.POST.get("next") or request.GET.get("next") or default_next
    if not nxt.startswith("/layanan/"):
        nxt = default_next
    if request.method == "POST" and form.is_valid():
        _grant(request, objs, form.cleaned_data["reason"])
        return redirect(nxt)
    return render(
        request,
        "services/reason.html",
        {"title": _("Data sensitif"), "form": form, "label": label, "next": nxt},
    )


@needs(SCap.INTAKE_VIEW)
@gated
def intake_receipt(request, uid):
    intake = _intake(request, uid)
    url = (
        request.build_absolute_uri(reverse("services:public_status"))
        + "?tiket="
        + intake.ticket_number
    )
    response = HttpResponse(receipt_pdf(intake, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{intake.ticket_number}.pdf"'
    return response


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
        "can_intake": can(user, SCap.INTAKE),
    }
    template = "services/_queue_rows.html" if request.htmx else "services/queue.html"
    return render(request, template, ctx)


# --- Cases ------------------------------------------------------------------------------------


def _next_due():
    return Subquery(
        Task.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )


@needs(SCap.CASE_VIEW)
def case_list(request):
    user = request.user
    qs = Case.objects.visible_to(user).select_related("intake", "assigned_to")
    scope = request.GET.get("lingkup") or ("saya" if can(user, SCap.CASE_WORK) else "semua")
    if scope == "saya":
        qs = qs.filter(assigned_to=user)
    elif scope == "supervisi":
        qs = qs.filter(assigned_to__in=supervised_ids(user))
    status = request.GET.get("status") or "aktif"
    if status == "aktif":
        qs = qs.exclude(status=c.CaseStatus.CLOSED)
    elif status in c.CaseStatus.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(intake__ticket_number__icontains=q) | Q(intake__name__icontains=q))
    qs = qs.annotate(next_due=_next_due()).order_by(F("next_due").asc(nulls_last=True), "-id")
    rows = list(qs[:PAGE])
    return render(
        request,
        "services/case_list.html",
        {
            "title": _("Kasus"),
            "cases": rows,
            "scope": scope,
            "status": status,
            "q": q,
            "today": timezone.localdate(),
            "statuses": c.CaseStatus.choices,
        },
    )


@needs(SCap.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def case_reason(request, uid):
    case = get_for_user_or_404(
        request, Case.objects.visible_to(request.user).select_related("intake"), uid=uid
    )
    return _reason_page(
        request, [case, case.intake], case.number, reverse("services:case_detail", args=[uid])
    )


@needs(SCap.CASE_VIEW)
@gated
def case_detail(request, uid):
    user = request.user
    case = _case(request, uid)
    intake = case.intake
    assessments = {a.area: a for a in case.assessments.select_related("updated_by")}
    need_rows = []
    for n in intake.needs.all():
        a = assessments.get(n.area)
        need_rows.append(
            {
                "area": n.area,
                "label": n.get_area_display(),
                "assessment": a,
                "answers": answers_for_display(n.area, a.data) if a else [],
            }
        )
    referrals = list(
        case.referrals.select_related("agency", "service")
        .prefetch_related("attachments")
        .order_by("id")
    )
    from pandu.registry.history import history_entries

    may_work = actions.may_work(user, case)
    may_supervise = actions.may_supervise(user, case)
    return render(
        request,
        "services/case_detail.html",
        {
            "title": case.number,
            "case": case,
            "intake": intake,
            "need_rows": need_rows,
            "goals": case.goals.prefetch_related("actions"),
            "notes": case.notes.select_related("author")[:50],
            "tasks": case.tasks.select_related("assigned_to"),
            "sessions": case.counselling.select_related("counsellor"),
            "referrals": referrals,
            "events": case.events.select_related("actor", "referral"),
            "may_work": may_work,
            "may_supervise": may_supervise,
            "can_route": can(user, SCap.INTAKE) and case.assigned_to_id is None,
            "is_open": case.status != c.CaseStatus.CLOSED,
            "assign_form": forms.AssignForm(area_code=case.area_code, required=True),
            "note_form": forms.NoteForm(),
            "task_form": forms.TaskForm(),
            "goal_form": forms.GoalForm(),
            "action_form": forms.PlanActionForm(),
            "summary_form": forms.PlanSummaryForm(initial={"plan_summary": case.plan_summary}),
            "today": timezone.localdate(),
            "history": history_entries(case) if user.can(Cap.VIEW_HISTORY) else None,
        },
    )


def _case_post(request, uid, run, success: str, *, anchor: str = ""):
    case = _case(request, uid)
    back = reverse("services:case_detail", args=[uid]) + anchor
    return _post_action(request, lambda: run(case), success, back)


@needs(SCap.CASE_VIEW)
@require_POST
@gated
def case_assign(request, uid):
    case = _case(request, uid)
    form = forms.AssignForm(request.POST, area_code=case.area_code, required=True)
    back = reverse("services:case_detail", args=[uid])
    if not form.is_valid():
        messages.error(request, _("Pilih petugas dari daftar."))
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.assign_case(request.user, case, form.cleaned_data["assign_to"]),
        _("Penugasan disimpan."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_assessment(request, uid, area):
    case = _work_case(request, uid)
    if area not in c.NeedArea.values:
        raise Http404
    existing = case.assessments.filter(area=area).first()
    form_class = assessment_form_class(area)
    initial = dict(existing.data) if existing else {}
    if existing:
        initial["final"] = existing.final
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        final = data.pop("final", False)
        try:
            actions.save_assessment(request.user, case, area, data, final=final)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Asesmen final disimpan.") if final else _("Draf asesmen disimpan.")
            )
            return redirect(reverse("services:case_detail", args=[uid]) + "#asesmen")
    return _form_page(
        request,
        form,
        _("Asesmen: %(area)s") % {"area": c.NeedArea(area).label},
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
        submit=_("Simpan"),
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_plan_summary(request, uid):
    text = request.POST.get("plan_summary", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.save_plan_summary(request.user, case, text),
        _("Rencana disimpan."),
        anchor="#rencana",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_goal_add(request, uid):
    form = forms.GoalForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    return _case_post(
        request,
        uid,
        lambda case: actions.add_goal(
            request.user,
            case,
            description=d.get("description", ""),
            need_area=d.get("need_area", ""),
        ),
        _("Tujuan ditambahkan."),
        anchor="#rencana",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_action_add(request, uid):
    form = forms.PlanActionForm(request.POST)
    if not form.is_valid():
        case = _case(request, uid)
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(reverse("services:case_detail", args=[case.uid]) + "#rencana")
    d = form.cleaned_data

    def run(case):
        goal = Goal.objects.filter(case=case, pk=request.POST.get("goal") or 0).first()
        if goal is None:
            raise ValidationError(_("Pilih tujuan."))
        return actions.add_plan_action(
            request.user,
            goal,
            description=d["description"],
            responsible=d["responsible"],
            due_on=d["due_on"],
        )

    return _case_post(request, uid, run, _("Kegiatan ditambahkan."), anchor="#rencana")


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_action_done(request, uid):
    def run(case):
        action = PlanAction.objects.filter(
            goal__case=case, pk=request.POST.get("action") or 0
        ).first()
        if action is None:
            raise ValidationError(_("Kegiatan tidak ditemukan."))
        return actions.set_plan_action_done(request.user, action, request.POST.get("done") != "0")

    return _case_post(request, uid, run, _("Kegiatan diperbarui."), anchor="#rencana")


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_plan_submit(request, uid):
    return _case_post(
        request,
        uid,
        lambda case: actions.submit_plan(request.user, case),
        _("Rencana diajukan kepada supervisor."),
        anchor="#rencana",
    )


@needs(SCap.CASE_VIEW)
@require_POST
@gated
def case_plan_decide(request, uid):
    approve = request.POST.get("decision") == "approve"
    comment = request.POST.get("comment", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.decide_plan(request.user, case, approve=approve, comment=comment),
        _("Rencana disetujui.") if approve else _("Rencana dikembalikan."),
        anchor="#rencana",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_note_add(request, uid):
    text = request.POST.get("text", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.add_note(request.user, case, text),
        _("Catatan disimpan."),
        anchor="#catatan",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_task_add(request, uid):
    form = forms.TaskForm(request.POST)
    if not form.is_valid():
        _case(request, uid)
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(reverse("services:case_detail", args=[uid]) + "#tindak-lanjut")
    d = form.cleaned_data
    return _case_post(
        request,
        uid,
        lambda case: actions.add_task(request.user, case, title=d["title"], due_on=d["due_on"]),
        _("Tindak lanjut ditambahkan."),
        anchor="#tindak-lanjut",
    )


@needs(SCap.CASE_WORK)
@require_POST
def task_done(request, uid):
    task = get_for_user_or_404(
        request,
        Task.objects.filter(
            case__in=Case.objects.visible_to(request.user).values("pk")
        ).select_related("case"),
        uid=uid,
    )
    back = request.POST.get("next") or reverse("services:case_detail", args=[task.case.uid])
    if not back.startswith("/layanan/"):
        back = reverse("services:case_detail", args=[task.case.uid])
    return _post_action(
        request,
        lambda: actions.complete_task(request.user, task),
        _("Tindak lanjut selesai."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_counselling(request, uid):
    case = _work_case(request, uid)
    form = forms.CounsellingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_counselling(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sesi K3 dicatat."))
            return redirect(reverse("services:case_detail", args=[uid]) + "#k3")
    return _form_page(
        request,
        form,
        _("Sesi konsultasi keluarga (K3)"),
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_close(request, uid):
    case = _work_case(request, uid)
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_closure(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Penutupan diajukan kepada supervisor."))
            return redirect("services:case_detail", uid)
    return _form_page(
        request,
        form,
        _("Ajukan penutupan kasus"),
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
        submit=_("Ajukan penutupan"),
    )


@needs(SCap.CASE_VIEW)
@require_POST
@gated
def case_close_decide(request, uid):
    approve = request.POST.get("decision") == "approve"
    comment = request.POST.get("comment", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.decide_closure(request.user, case, approve=approve, comment=comment),
        _("Kasus ditutup.") if approve else _("Penutupan ditolak; kasus kembali dalam penanganan."),
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_reopen(request, uid):
    case = _work_case(request, uid)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reopen_case(request.user, case, form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kasus dibuka kembali."))
            return redirect("services:case_detail", uid)
    return _form_page(
        request,
        form,
        _("Buka kembali kasus"),
        subtitle=case.number,
        back=reverse("services:case_detail", args=[uid]),
    )


# --- Referrals (staff side) -------------------------------------------------------------------


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def referral_create(request, uid):
    case = _work_case(request, uid)
    services = actions.services_for(case)
    needs_list = case.intake.need_list()
    form = forms.ReferralForm(
        request.POST or None,
        services=services,
        initial={"need_area": needs_list[0] if needs_list else "", "need": case.intake.description},
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        service = d.pop("service")
        try:
            referral = actions.create_referral(request.user, case, service, **d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draf rujukan dibuat. Catat persetujuan, lalu kirim."))
            return redirect("services:referral_detail", referral.uid)
    return _form_page(
        request,
        form,
        _("Rujukan baru"),
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
        submit=_("Simpan draf"),
        note=None if services else _("Belum ada layanan mitra aktif yang menjangkau wilayah ini."),
    )


def _referral(request, uid) -> Referral:
    referral = get_for_user_or_404(
        request,
        Referral.objects.visible_to(request.user).select_related(
            "case__intake", "case__service_point", "agency", "service"
        ),
        uid=uid,
    )
    if referral.case.sensitive and not _granted(request, referral.case.uid):
        raise NeedsReason(
            reverse("services:case_reason", args=[referral.case.uid]) + "?next=" + request.path
        )
    return referral


@needs(SCap.CASE_VIEW)
@gated
def referral_detail(request, uid):
    referral = _referral(request, uid)
    case = referral.case
    may_work = actions.may_work(request.user, case)
    return render(
        request,
        "services/referral_detail.html",
        {
            "title": str(referral),
            "referral": referral,
            "case": case,
            "may_work": may_work,
            "events": referral.events.select_related("actor"),
            "attachments": referral.attachments.all(),
            "consent_form": forms.ConsentForm(
                initial={
                    "consent_by": "guardian" if case.intake.age() < actions.CHILD_AGE else "self"
                }
            ),
            "attachment_form": forms.AttachmentForm(),
            "is_child": case.intake.age() < actions.CHILD_AGE,
            "verify_url": request.build_absolute_uri(
                reverse("services:public_letter", args=[public.letter_token(referral)])
            )
            if referral.number
            else "",
        },
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def referral_edit(request, uid):
    referral = _referral(request, uid)
    _work_case(request, referral.case.uid)
    form = forms.ReferralEditForm(
        request.POST or None, initial={k: getattr(referral, k) for k in actions.REFERRAL_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_referral(request.user, referral, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draf rujukan disimpan."))
            return redirect("services:referral_detail", uid)
    return _form_page(
        request,
        form,
        _("Ubah draf rujukan"),
        subtitle=referral.agency.name,
        back=reverse("services:referral_detail", args=[uid]),
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_consent(request, uid):
    referral = _referral(request, uid)
    form = forms.ConsentForm(request.POST)
    back = reverse("services:referral_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    d = form.cleaned_data
    return _post_action(
        request,
        lambda: actions.record_consent(
            request.user,
            referral,
            consent_by=d["consent_by"],
            method=d["method"],
            guardian_name=d["guardian_name"],
            guardian_relationship=d["guardian_relationship"],
            share_nik=d["share_nik"],
            note=d["note"],
        ),
        _("Persetujuan dicatat."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_attach(request, uid):
    referral = _referral(request, uid)
    form = forms.AttachmentForm(request.POST, request.FILES)
    back = reverse("services:referral_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.add_referral_attachment(
            request.user, referral, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
        ),
        _("Lampiran disimpan."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_send(request, uid):
    referral = _referral(request, uid)
    return _post_action(
        request,
        lambda: actions.send_referral(request.user, referral),
        _("Rujukan dikirim."),
        reverse("services:referral_detail", args=[uid]),
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def referral_withdraw(request, uid):
    referral = _referral(request, uid)
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        lambda: actions.withdraw_referral(request.user, referral, reason),
        _("Rujukan ditarik."),
        reverse("services:referral_detail", args=[uid]),
    )


def _letter_response(request, referral: Referral) -> HttpResponse:
    if not referral.number:
        raise Http404
    url = request.build_absolute_uri(
        reverse("services:public_letter", args=[public.letter_token(referral)])
    )
    response = HttpResponse(referral_letter_pdf(referral, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-rujukan-{referral.number}.pdf"'
    return response


@needs(SCap.CASE_VIEW)
@gated
def referral_letter(request, uid):
    return _letter_response(request, _referral(request, uid))


@login_required
def attachment_download(request, uid):
    """A referral's attachment: for staff who may open the case, and for the addressed partner."""
    user = request.user
    if can(user, SCap.PARTNER):
        qs = ReferralAttachment.objects.filter(
            referral__in=Referral.objects.inbox_for(user).values("pk")
        )
    elif can(user, SCap.CASE_VIEW):
        qs = ReferralAttachment.objects.filter(
            referral__in=Referral.objects.visible_to(user).values("pk")
        )
    else:
        _need(request, SCap.CASE_VIEW, SCap.PARTNER)
        raise Http404
    attachment = get_for_user_or_404(request, qs.select_related("referral__case"), uid=uid)
    case = attachment.referral.case
    if not can(user, SCap.PARTNER) and case.sensitive and not _granted(request, case.uid):
        return redirect(reverse("services:case_reason", args=[case.uid]) + "?next=" + request.path)
    ext = attachment.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=f"lampiran-{attachment.uid}.{ext}",
    )


# --- Overdue ----------------------------------------------------------------------------------


@needs(SCap.CASE_WORK, SCap.CASE_ADMIN)
def overdue(request):
    """Overdue follow-ups and referrals: mine, and per worker for the ones I supervise.

    Built from the overdue rows (an index range on due dates), not from the cases the user may
    see: a regency holds hundreds of thousands of cases and only a few hundred overdue items.
    """
    user = request.user
    today = timezone.localdate()
    scope = user.scope_code or ""
    open_case = ~Q(case__status=c.CaseStatus.CLOSED)
    tasks = reports.scoped(
        Task.objects.filter(open_case, done_at__isnull=True, due_on__lt=today),
        "case__area_code",
        scope,
    ).select_related("case__intake", "case__assigned_to", "assigned_to")
    refs = reports.scoped(actions.overdue_referrals(today), "area_code", scope).select_related(
        "case__intake", "case__assigned_to", "agency"
    )
    plan_actions = reports.scoped(
        PlanAction.objects.filter(done=False, due_on__lt=today).exclude(
            goal__case__status=c.CaseStatus.CLOSED
        ),
        "goal__case__area_code",
        scope,
    ).select_related("goal__case__intake")
    mine = {
        "tasks": list(tasks.filter(assigned_to=user).order_by("due_on")[:PAGE]),
        "referrals": list(refs.filter(case__assigned_to=user).order_by("respond_due")[:PAGE]),
        "actions": list(
            plan_actions.filter(goal__case__assigned_to=user).order_by("due_on")[:PAGE]
        ),
    }
    if can(user, SCap.CASE_ADMIN):
        team_filter, supervises = Q(), True
    else:
        team_filter = Q(case__assigned_to__in=supervised_ids(user))
        supervises = ServicePointStaff.objects.filter(
            user=user, role=c.StaffRole.SUPERVISOR, ended_on__isnull=True
        ).exists()
    team_rows = (
        _team_overdue(tasks.filter(team_filter), refs.filter(team_filter)) if supervises else []
    )
    return render(
        request,
        "services/overdue.html",
        {
            "title": _("Terlambat"),
            "mine": mine,
            "team": team_rows,
            "today": today,
            "supervises": supervises,
        },
    )


def _team_overdue(tasks, refs) -> list[dict]:
    """Per worker (most overdue first, at most ``TEAM_WORKERS``): how many follow-ups and
    referrals are overdue, and the oldest ``TEAM_ITEMS`` of each."""
    from pandu.accounts.models import User

    team: dict = {}
    for kind, qs in (("tasks", tasks), ("referrals", refs)):
        counts = qs.values_list("case__assigned_to").annotate(n=Count("id")).order_by()
        for worker_id, n in counts:
            if worker_id is not None:
                team.setdefault(worker_id, {"n_tasks": 0, "n_referrals": 0})["n_" + kind] = n
    top = sorted(team, key=lambda k: -(team[k]["n_tasks"] + team[k]["n_referrals"]))
    top = top[:TEAM_WORKERS]
    workers = User.objects.in_bulk(top)
    rows = {k: {**team[k], "worker": workers[k], "tasks": [], "referrals": []} for k in top}

    def oldest(qs, due: str):
        rank = Window(RowNumber(), partition_by=[F("case__assigned_to")], order_by=[F(due).asc()])
        return qs.filter(case__assigned_to__in=top).annotate(rank=rank).filter(rank__lte=TEAM_ITEMS)

    for t in oldest(tasks, "due_on").order_by("due_on"):
        rows[t.case.assigned_to_id]["tasks"].append(t)
    for r in oldest(refs, "respond_due").order_by("respond_due"):
        rows[r.case.assigned_to_id]["referrals"].append(r)
    for row in rows.values():
        row["more_tasks"] = row["n_tasks"] - len(row["tasks"])
        row["more_referrals"] = row["n_referrals"] - len(row["referrals"])
    return [rows[k] for k in top]


# --- Partner inbox ----------------------------------------------------------------------------


def _membership(request):
    return (
        PartnerMembership.objects.filter(user=request.user, active=True)
        .select_related("agency")
        .first()
    )


@needs(SCap.PARTNER)
def inbox(request):
    today = timezone.localdate()
    qs = Referral.objects.inbox_for(request.user).select_related("service").order_by("-sent_at")
    status = request.GET.get("status") or ""
    if status == "terbuka":
        qs = qs.filter(status__in=c.OPEN_REFERRAL)
    elif status in c.ReferralStatus.values:
        qs = qs.filter(status=status)
    late = request.GET.get("terlambat") == "1"
    if late:
        qs = qs.filter(pk__in=actions.overdue_referrals(today).values("pk"))
    return render(
        request,
        "services/inbox.html",
        {
            "title": _("Rujukan masuk"),
            "referrals": list(qs[:PAGE]),
            "membership": _membership(request),
            "status": status,
            "late": late,
            "today": today,
            "statuses": [s for s in c.ReferralStatus.choices if s[0] != "draft"],
        },
    )


def _inbox_referral(request, uid) -> Referral:
    return get_for_user_or_404(
        request,
        Referral.objects.inbox_for(request.user).select_related(
            "service", "agency", "case__service_point"
        ),
        uid=uid,
    )


@needs(SCap.PARTNER)
def inbox_detail(request, uid):
    referral = _inbox_referral(request, uid)
    if referral.status == c.ReferralStatus.SENT:
        # Opening it is the receipt: the sender sees "diterima mitra".
        actions.partner_move(request.user, referral, "receive")
    moves = [
        m
        for m, (allowed, _t) in actions.PARTNER_MOVES.items()
        if m != "receive" and referral.status in allowed
    ]
    return render(
        request,
        "services/inbox_detail.html",
        {
            "title": referral.number,
            "referral": referral,
            "moves": moves,
            "events": referral.events.select_related("actor"),
            "attachments": referral.attachments.all(),
            "form": forms.PartnerMoveForm(),
            "office": settings.PANDU_OFFICE_NAME,
        },
    )


MOVE_LABELS = {
    "accept": gettext_lazy("Rujukan disetujui."),
    "decline": gettext_lazy("Rujukan ditolak."),
    "start": gettext_lazy("Layanan dimulai."),
    "update": gettext_lazy("Perkembangan dicatat."),
    "complete": gettext_lazy("Layanan selesai."),
    "return": gettext_lazy("Rujukan dikembalikan."),
}


@needs(SCap.PARTNER)
@require_POST
def inbox_move(request, uid, move):
    referral = _inbox_referral(request, uid)
    if move not in MOVE_LABELS:
        raise Http404
    text = request.POST.get("text", "")
    return _post_action(
        request,
        lambda: actions.partner_move(request.user, referral, move, text),
        str(MOVE_LABELS[move]),
        reverse("services:inbox_detail", args=[uid]),
    )


@needs(SCap.PARTNER)
def inbox_letter(request, uid):
    return _letter_response(request, _inbox_referral(request, uid))


# --- Dashboard --------------------------------------------------------------------------------


def _dashboard_params(request):
    user = request.user
    form = forms.DashboardForm(request.GET or None)
    today = timezone.localdate()
    start, end, area = today.replace(day=1), today, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        area = form.cleaned_data["area"]
    if end < start:
        start, end = end, start
    scope = user.scope_code or ""
    code = scope
    if area is not None:
        if not user.in_scope(area.code):
            form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
        else:
            code = area.code
    area_name = (
        Area.objects.filter(code=code).values_list("name", flat=True).first()
        if code
        else _("Seluruh Indonesia")
    )
    return form, start, end, code, area_name


@needs(SCap.REPORTS)
def dashboard(request):
    form, start, end, code, area_name = _dashboard_params(request)
    f = reports.compute(code, start, end)
    return render(
        request,
        "services/dashboard.html",
        {
            "title": _("Dasbor layanan"),
            "form": form,
            "f": f,
            "area_name": area_name,
            "channel_bars": reports.bars(f.by_channel),
            "need_bars": reports.bars(f.by_need),
            "village_bars": reports.bars(f.by_village),
            "status_bars": reports.bars(f.by_status),
            "first_median": reports.fmt_hours(f.first_action.get("median_hours")),
            "first_p90": reports.fmt_hours(f.first_action.get("p90_hours")),
            "close_median": reports.fmt_hours(f.closure.get("median_hours")),
            "close_p90": reports.fmt_hours(f.closure.get("p90_hours")),
            "query": request.GET.urlencode(),
        },
    )


@needs(SCap.REPORTS)
def dashboard_xlsx(request):
    _form, start, end, code, area_name = _dashboard_params(request)
    data = reports.xlsx(reports.compute(code, start, end), str(area_name))
    record_access(
        request,
        AccessLog.Kind.EXPORT,
        None,
        detail=f"services dashboard {code} {start}..{end}",
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="dasbor-layanan-{}-{}.xlsx"'.format(
        start.strftime("%Y%m%d"),
        end.strftime("%Y%m%d"),
    )
    return response


# --- Notifications ----------------------------------------------------------------------------


@login_required
def notifications(request):
    rows = list(Notification.objects.filter(user=request.user)[:PAGE])
    return render(
        request, "services/notifications.html", {"title": _("Pemberitahuan"), "rows": rows}
    )


@login_required
@require_POST
def notifications_read(request):
    actions.mark_notifications_read(request.user)
    return redirect("services:notifications")


# --- Public (no login) ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_status(request):
    """Anyone may check a ticket with its number and the birth date; only the progress is shown."""
    form = forms.TicketCheckForm(
        request.POST or None, initial={"ticket": request.GET.get("tiket", "")}
    )
    result = None
    not_found = False
    limited = False
    if request.method == "POST" and form.is_valid():
        ticket = form.cleaned_data["ticket"]
        if not public.allow_ticket_check(public.client_ip(request), ticket):
            limited = True
        else:
            result = public.find_ticket(ticket, form.cleaned_data["birth_date"])
            not_found = result is None
    response = render(
        request,
        "services/public_status.html",
        {
            "title": _("Cek status layanan"),
            "form": form,
            "result": result,
            "not_found": not_found,
            "limited": limited,
            "office": settings.PANDU_OFFICE_NAME,
        },
        status=429 if limited else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def public_letter(request, token):
    """Whether a referral letter is genuine and still valid: number, date, office, status only."""
    referral = public.referral_from_token(token)
    response = render(
        request,
        "services/public_letter.html",
        {
            "title": _("Verifikasi surat rujukan"),
            "referral": referral,
            "valid": referral is not None and public.letter_is_valid(referral),
            "office": settings.PANDU_OFFICE_NAME,
        },
        status=200 if referral is not None else 404,
    )
    response["Cache-Control"] = "no-store"
    return response
