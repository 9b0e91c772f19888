"""Aid-use monitoring pages: the KPM a TKSK or facilitator accompanies, the phone-sized visit
form (with the "Catat lokasi saya" card of the field visits), the visits, and the summary per
area and per visitor with its spreadsheet."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.access import deny, get_for_user_or_404, record_access
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.middleware import permissions_policy
from pandu.core.models import AccessLog
from pandu.regions.models import Area

from .. import actions
from ..capabilities import ECap
from ..choices import PROBLEMS, USES
from ..filtersets import KpmFilterSet, VisitFilterSet
from ..forms import SummaryForm, VisitForm
from ..models import UseVisit
from ..summary import monitoring_summary, summary_xlsx
from ..tables import KpmTable, VisitTable
from ._common import kpm, needs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@needs(ECap.VIEW)
def kpm_list(request):
    user = request.user
    page = build_list(
        request,
        kpm(user).filter(status__in=["aktif", "ditangguhkan"]).order_by("area_code", "id"),
        KpmTable,
        filterset_class=KpmFilterSet,
    )
    page.table.may_visit = user.can(ECap.VISIT)
    page.table.may_plan = user.can(ECap.ACCOMPANY)
    return render(
        request,
        "empowerment/list.html",
        {
            "title": _("KPM dampingan"),
            "intro": _(
                "KPM aktif dan ditangguhkan di wilayah kerja Anda, dengan kunjungan pemantauan "
                "terakhir dan rencana graduasinya."
            ),
            "table": page.table,
            "filter": page.filterset,
            "links": [(reverse("empowerment:visit_list"), _("Kunjungan"))],
        },
    )


@needs(ECap.VISIT)
@require_http_methods(["GET", "POST"])
def visit_create(request, uid):
    """After the visit, on the phone: one column, big toggles, the location only when asked."""
    user = request.user
    enrolment = get_for_user_or_404(request, kpm(user, ECap.VISIT), uid=uid)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = actions.record_visit(
                user,
                enrolment,
                location=actions.VisitLocation(
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    accuracy=data.get("accuracy"),
                    taken_at=data.get("located_at"),
                ),
                **form.answers(),
            )
        except PermissionDenied:
            deny(request, "use visit refused", enrolment)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Kunjungan ke KK %(kk)s tanggal %(date)s disimpan.")
                % {
                    "kk": enrolment.household.kk_number,
                    "date": visit.visited_on.strftime("%d-%m-%Y"),
                },
            )
            return redirect("empowerment:kpm_list")
    members = enrolment.household.members.filter(status="active").order_by("relationship", "pk")
    response = render(
        request,
        "empowerment/visit_form.html",
        {
            "title": _("Kunjungan pemantauan bantuan"),
            "enrolment": enrolment,
            "household": enrolment.household,
            "members": members,
            "form": form,
            "item": None,
            "previous": UseVisit.objects.visible_to(user)
            .filter(enrolment=enrolment)
            .select_related("visitor")[:3],
        },
    )
    # The "Catat lokasi saya" button asks the browser for the phone's position on this page.
    response["Permissions-Policy"] = permissions_policy(allow=("geolocation",))
    return response


def _visits(user):
    return UseVisit.objects.visible_to(user).select_related(
        "enrolment__programme", "enrolment__household", "enrolment__recipient", "visitor"
    )


@needs(ECap.VIEW)
def visit_list(request):
    page = build_list(
        request,
        _visits(request.user).order_by("-visited_on", "-id"),
        VisitTable,
        filterset_class=VisitFilterSet,
    )
    return render(
        request,
        "empowerment/list.html",
        {
            "title": _("Kunjungan pemantauan bantuan"),
            "table": page.table,
            "filter": page.filterset,
            "links": [(reverse("empowerment:summary"), _("Rekap"))],
        },
    )


@needs(ECap.VIEW)
def visit_detail(request, uid):
    visit = get_for_user_or_404(request, _visits(request.user), uid=uid)
    return render(
        request,
        "empowerment/visit_detail.html",
        {
            "title": _("Kunjungan %(date)s") % {"date": visit.visited_on.strftime("%d-%m-%Y")},
            "visit": visit,
            "item": visit,
            "history": visit.history.select_related("history_user").order_by("-history_id")[:20],
        },
    )


# --- The summary ------------------------------------------------------------------------------


def _summary_from_request(request):
    user = request.user
    today = timezone.localdate()
    initial = {"date_from": date(today.year, 1, 1), "date_to": today, "group": "village"}
    form = SummaryForm(request.GET or None, initial=initial)
    params = dict(initial, area="", programme="")
    if form.is_bound and form.is_valid():
        params.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    params["area"] = params["area"].strip()
    if params["area"] and not user.in_scope(params["area"]):
        # A figure of an area outside the user's own is not shown; the whole of theirs is.
        messages.warning(
            request,
            _(
                "Wilayah itu di luar wilayah kerja Anda; rekap seluruh wilayah kerja Anda "
                "ditampilkan."
            ),
        )
        params["area"] = ""
    summary = monitoring_summary(
        user,
        area=params["area"],
        programme=params["programme"].strip(),
        date_from=params["date_from"],
        date_to=params["date_to"],
        group=params["group"],
    )
    return form, params, summary


def _filters_text(params) -> str:
    area = Area.objects.filter(code=params["area"]).first() if params["area"] else None
    text = _("Wilayah: %(area)s · kunjungan %(start)s s.d. %(end)s") % {
        "area": area.display_name if area else _("seluruh wilayah kerja"),
        "start": date_format(params["date_from"], "d-m-Y") if params["date_from"] else "—",
        "end": date_format(params["date_to"], "d-m-Y") if params["date_to"] else "—",
    }
    if params["programme"]:
        text += " · " + _("program %(code)s") % {"code": params["programme"].upper()}
    return text


@needs(ECap.VIEW)
def summary(request):
    form, params, data = _summary_from_request(request)
    return render(
        request,
        "empowerment/summary.html",
        {
            "title": _("Rekap pemantauan penggunaan bantuan"),
            "form": form,
            "summary": data,
            "filters": _filters_text(params),
            "query": request.GET.urlencode(),
            "uses": [label for _name, label in USES],
            "problems": [label for _flag, _note, label in PROBLEMS],
        },
    )


@needs(ECap.VIEW)
def summary_xlsx_view(request):
    _form, params, data = _summary_from_request(request)
    record_access(request, AccessLog.Kind.EXPORT, detail="aid-use monitoring summary (counts)")
    content = summary_xlsx(
        data, title=_("Rekap pemantauan penggunaan bantuan"), filters=_filters_text(params)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return private_file_response(
        content, filename=f"rekap-pemantauan-{stamp}.xlsx", content_type=XLSX
    )
