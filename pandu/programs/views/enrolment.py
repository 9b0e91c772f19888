"""KPM pages: the list of candidates and KPM, the candidate list made from a committed run, the
TKSK's visit form (phone-sized, the proposal visit's location card), the Dinas's decision, the
head's decree with the printed list for signature, status changes and the quotas per area."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.middleware import permissions_policy
from pandu.proposals.forms import UploadField
from pandu.proposals.uploads import PHOTO_TYPES
from pandu.regions.models import Area
from pandu.targeting.models import TargetingRun

from .. import actions
from ..capabilities import PCap
from ..filtersets import EnrolmentFilterSet
from ..models import Enrolment, EnrolmentQuota, Programme
from ..models.enrolment import ApprovalStep, EnrolmentStatus, VisitResult
from ..printing import enrolment_list_pdf
from ..tables import EnrolmentTable
from ._common import needs, refused

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class VisitForm(forms.Form):
    """The TKSK's form after the visit: four big buttons, a note, a photo, the location."""

    result = forms.ChoiceField(
        label=_l("Hasil kunjungan"), choices=VisitResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_l("Catatan kunjungan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = UploadField(label=_l("Foto kunjungan (tidak wajib)"), required=False, types=PHOTO_TYPES)
    latitude = forms.CharField(label=_l("Lintang"), required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(label=_l("Bujur"), required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(label=_l("Akurasi (m)"), required=False, widget=forms.HiddenInput)
    located_at = forms.CharField(
        label=_l("Waktu lokasi diambil"), required=False, widget=forms.HiddenInput
    )

    LOCATION_FIELDS = ("latitude", "longitude", "accuracy", "located_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["capture"] = "environment"

    def clean_located_at(self):
        raw = (self.cleaned_data.get("located_at") or "").strip()
        if not raw:
            return None
        try:
            when = parse_datetime(raw)
        except ValueError:
            when = None
        if when is None:
            raise ValidationError(_("Waktu lokasi diambil tidak terbaca."))
        return when

    def location_errors(self) -> list[str]:
        return [str(e) for name in self.LOCATION_FIELDS for e in self.errors.get(name, [])]


class DinasForm(forms.Form):
    decision = forms.ChoiceField(
        label=_l("Keputusan Dinas"),
        choices=[("setuju", _l("Setujui")), ("tolak", _l("Tolak"))],
    )
    reason = forms.CharField(label=_l("Alasan / catatan"), required=False, max_length=500)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_l("Status baru"),
        choices=[
            (s.value, s.label)
            for s in (
                EnrolmentStatus.ACTIVE,
                EnrolmentStatus.SUSPENDED,
                EnrolmentStatus.GRADUATED,
                EnrolmentStatus.EXITED,
            )
        ],
    )
    on = forms.DateField(
        label=_l("Berlaku tanggal"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    reason = forms.CharField(label=_l("Alasan"), max_length=500)


class DecreeForm(forms.Form):
    programme = forms.ModelChoiceField(label=_l("Program"), queryset=Programme.objects.none())
    area = forms.CharField(label=_l("Kode wilayah SK"), max_length=13)
    number = forms.CharField(label=_l("Nomor SK"), max_length=100)
    decreed_on = forms.DateField(
        label=_l("Tanggal SK"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    enrolments = forms.MultipleChoiceField(
        label=_l("Calon yang ditetapkan"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, user, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        self.fields["enrolments"].choices = [(str(e.uid), str(e.uid)) for e in candidates]


class QuotaForm(forms.Form):
    programme = forms.ModelChoiceField(label=_l("Program"), queryset=Programme.objects.none())
    area = forms.CharField(label=_l("Kode wilayah"), max_length=13)
    quota = forms.IntegerField(label=_l("Kuota (keluarga)"), min_value=0, max_value=10_000_000)
    note = forms.CharField(label=_l("Catatan"), required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)


def _enrolments(user, action: str = "view"):
    return Enrolment.objects.restrict(user, action).select_related(
        "programme", "household", "recipient", "decree"
    )


# --- The list and the candidate list ----------------------------------------------------------


@needs(PCap.ENROLMENT_VIEW)
def enrolment_list(request):
    user = request.user
    page = build_list(
        request,
        _enrolments(user).order_by("area_code", "id"),
        EnrolmentTable,
        filterset_class=EnrolmentFilterSet,
    )
    runs = []
    if user.can(PCap.ENROLMENT_MANAGE):
        runs = list(
            TargetingRun.objects.visible_to(user)
            .committed()
            .filter(area_code__startswith=user.scope_code or "")
            .select_related("programme")
            .order_by("-committed_at")[:20]
        )
    return render(
        request,
        "programs/enrolment/list.html",
        {
            "title": _("Calon dan KPM"),
            "table": page.table,
            "filter": page.filterset,
            "runs": runs,
            "may_decree": user.can(PCap.ENROLMENT_DECREE),
        },
    )


@needs(PCap.ENROLMENT_MANAGE)
@require_POST
def enrolment_candidates(request):
    run = get_for_user_or_404(
        request, TargetingRun.objects.visible_to(request.user), uid=request.POST.get("run") or None
    )
    try:
        made = actions.create_candidates(request.user, run)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("%(n)s calon %(programme)s ditambahkan dari penetapan sasaran.")
            % {"n": made, "programme": run.programme.code},
        )
    return redirect(
        f"{_list_url()}?programme={run.programme.code}&step={ApprovalStep.AWAITING_VISIT}"
    )


def _list_url() -> str:
    from django.urls import reverse

    return reverse("programs:enrolment_list")


# --- One enrolment ----------------------------------------------------------------------------


@needs(PCap.ENROLMENT_VIEW)
def enrolment_detail(request, uid):
    user = request.user
    enrolment = get_for_user_or_404(request, _enrolments(user), uid=uid)
    history = enrolment.history.select_related("history_user").order_by("-history_id")[:50]
    return render(
        request,
        "programs/enrolment/detail.html",
        {
            "title": _("KPM %(kk)s") % {"kk": enrolment.household.kk_number},
            "enrolment": enrolment,
            "item": enrolment,
            "history": history,
            "may_verify": user.can(PCap.ENROLMENT_VERIFY)
            and enrolment.status == EnrolmentStatus.CANDIDATE
            and enrolment.step in (ApprovalStep.AWAITING_VISIT, ApprovalStep.VERIFIED),
            "dinas_form": DinasForm()
            if user.can(PCap.ENROLMENT_MANAGE) and enrolment.status == EnrolmentStatus.CANDIDATE
            else None,
            # the head turns down a candidate the Dinas approved, instead of decreeing it
            "head_reject": user.can(PCap.ENROLMENT_DECREE)
            and enrolment.status == EnrolmentStatus.CANDIDATE
            and enrolment.step == ApprovalStep.DINAS,
            "status_form": StatusForm()
            if user.can(PCap.ENROLMENT_MANAGE)
            and enrolment.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)
            else None,
        },
    )


@needs(PCap.ENROLMENT_VERIFY)
@require_http_methods(["GET", "POST"])
def enrolment_verify(request, uid):
    """After the visit: one thumb, four big buttons; the location only when asked for."""
    user = request.user
    enrolment = get_for_user_or_404(request, _enrolments(user, "verify"), uid=uid)
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        initial={"result": enrolment.visit_result, "note": enrolment.visit_note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.verify_candidate(
                user,
                enrolment,
                result=data["result"],
                note=data.get("note", ""),
                photo=data.get("photo") or None,
                location=actions.VisitLocation(
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    accuracy=data.get("accuracy"),
                    taken_at=data.get("located_at"),
                ),
            )
        except PermissionDenied:
            deny(request, "enrolment visit refused", enrolment)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Hasil kunjungan KK %(kk)s disimpan.") % {"kk": enrolment.household.kk_number},
            )
            return redirect(f"{_list_url()}?step={ApprovalStep.AWAITING_VISIT}")
    members = enrolment.household.members.filter(status="active").order_by("relationship", "pk")
    response = render(
        request,
        "programs/enrolment/verify.html",
        {
            "title": _("Verifikasi calon KPM"),
            "enrolment": enrolment,
            "item": enrolment,
            "household": enrolment.household,
            "members": members,
            "form": form,
        },
    )
    # The "Catat lokasi saya" button asks the browser for the phone's position on this page.
    response["Permissions-Policy"] = permissions_policy(allow=("geolocation",))
    return response


@needs(PCap.ENROLMENT_MANAGE)
@require_POST
def enrolment_dinas(request, uid):
    user = request.user
    enrolment = get_for_user_or_404(request, _enrolments(user, "manage"), uid=uid)
    form = DinasForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("programs:enrolment_detail", uid=enrolment.uid)
    data = form.cleaned_data
    try:
        if data["decision"] == "setuju":
            actions.approve_by_dinas(user, enrolment, data.get("reason", ""))
            messages.success(request, _("Calon disetujui Dinas; menunggu penetapan Kepala."))
        else:
            actions.reject_candidate(user, enrolment, data.get("reason", ""))
            messages.success(request, _("Calon ditolak."))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect("programs:enrolment_detail", uid=enrolment.uid)


@needs(PCap.ENROLMENT_DECREE)
@require_POST
def enrolment_reject(request, uid):
    """The head turns down a candidate awaiting the decree, with the reason."""
    user = request.user
    enrolment = get_for_user_or_404(request, _enrolments(user), uid=uid)
    try:
        actions.reject_candidate(user, enrolment, request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Calon ditolak."))
    return redirect("programs:enrolment_detail", uid=enrolment.uid)


@needs(PCap.ENROLMENT_MANAGE)
@require_POST
def enrolment_status(request, uid):
    user = request.user
    enrolment = get_for_user_or_404(request, _enrolments(user, "manage"), uid=uid)
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("programs:enrolment_detail", uid=enrolment.uid)
    data = form.cleaned_data
    try:
        actions.change_enrolment_status(
            user, enrolment, status=data["status"], on=data.get("on"), reason=data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Status KPM diubah."))
    return redirect("programs:enrolment_detail", uid=enrolment.uid)


# --- The head's decree and the list for signature ---------------------------------------------


def _awaiting_head(user, code: str, area: str):
    qs = _enrolments(user).filter(status=EnrolmentStatus.CANDIDATE, step=ApprovalStep.DINAS)
    if code:
        qs = qs.filter(programme__code__iexact=code)
    if area:
        qs = qs.filter(area_code__startswith=area)
    return qs.order_by("area_code", "household__kk_number")


@needs(PCap.ENROLMENT_DECREE)
@require_http_methods(["GET", "POST"])
def enrolment_decree(request):
    user = request.user
    code = (request.GET.get("program") or "").strip()[:30]
    area = (request.GET.get("wilayah") or request.POST.get("area") or user.scope_code or "")[:13]
    candidates = list(_awaiting_head(user, code, "")[:500])
    form = DecreeForm(
        request.POST or None,
        user=user,
        candidates=candidates,
        initial={"area": area, "enrolments": [str(e.uid) for e in candidates]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [e for e in candidates if str(e.uid) in set(data["enrolments"])]
        chosen = [e for e in chosen if e.programme_id == data["programme"].pk]
        try:
            decree = actions.approve_by_head(
                user,
                chosen,
                area_code=data["area"].strip(),
                number=data["number"],
                decreed_on=data["decreed_on"],
            )
        except PermissionDenied:
            deny(request, "decree outside the head's area")
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(n)s keluarga ditetapkan sebagai KPM dengan SK %(number)s.")
                % {"n": decree.enrolments.count(), "number": decree.number},
            )
            return redirect(f"{_list_url()}?programme={decree.programme.code}&status=aktif")
    return render(
        request,
        "programs/enrolment/decree.html",
        {
            "title": _("Penetapan KPM oleh Kepala"),
            "form": form,
            "candidates": candidates,
            "programmes": sorted({e.programme.code for e in candidates}),
        },
    )


@needs(PCap.ENROLMENT_MANAGE, PCap.ENROLMENT_DECREE)
def enrolment_print(request, code):
    """The Dinas-approved candidates of one programme, on letterhead, for the head's signature."""
    user = request.user
    area = (request.GET.get("wilayah") or user.scope_code or "").strip()[:13]
    programme = Programme.objects.visible_to(user).filter(code__iexact=code).first()
    if programme is None:
        deny(request, f"programme not seen: {code[:30]}")
    if not user.in_scope(area):
        deny(request, f"enrolment list outside scope: {area}")
    rows = list(_awaiting_head(user, programme.code, area)[:5000])
    pdf = enrolment_list_pdf(
        programme, area, rows, printed_by=user.get_full_name() or user.username
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="calon-kpm-{programme.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Quotas -----------------------------------------------------------------------------------


@needs(PCap.ENROLMENT_VIEW)
@require_http_methods(["GET", "POST"])
def quota_list(request):
    user = request.user
    may_manage = user.can(PCap.ENROLMENT_MANAGE)
    form = QuotaForm(request.POST or None, user=user) if may_manage else None
    if request.method == "POST":
        if form is None:
            deny(request, "quota change without the capability")
        if form.is_valid():
            data = form.cleaned_data
            area = Area.objects.filter(code=data["area"].strip()).first()
            if area is None:
                form.add_error("area", _("Kode wilayah tidak ada."))
            else:
                try:
                    actions.set_quota(user, data["programme"], area, data["quota"], data["note"])
                except PermissionDenied:
                    form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
                except ValidationError as exc:
                    add_action_errors(form, exc)
                else:
                    messages.success(request, _("Kuota disimpan."))
                    return redirect("programs:quota_list")
    quotas = EnrolmentQuota.objects.visible_to(user).select_related("programme", "area")
    return render(
        request,
        "programs/enrolment/quotas.html",
        {"title": _("Kuota KPM"), "quotas": quotas[:500], "form": form},
    )
