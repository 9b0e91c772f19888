"""Forms of the integrated programmes: set-up, implementers and focal points, activities and
participants, funding and its realisation, M&E plans and reports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.core.forms import VersionedForm
from pandu.organisations.models import Organisation

from .. import choices as c
from ._common import DATE, NUMBER, _lines


class IntegratedProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Nama program terpadu"), max_length=250)
    area = forms.CharField(
        label=_("Kode wilayah lokasi"),
        max_length=13,
        help_text=_("Mis. 73.09.13 untuk Kecamatan Moncongloe."),
    )
    designated_by = forms.CharField(label=_("Ditetapkan oleh"), max_length=150, required=False)
    decision_number = forms.CharField(label=_("Nomor keputusan"), max_length=100, required=False)
    decision_date = forms.DateField(label=_("Tanggal penetapan"), required=False, widget=DATE)
    reasons = forms.CharField(
        label=_("Alasan penetapan (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    objectives = forms.CharField(
        label=_("Tujuan (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    expected_results = forms.CharField(
        label=_("Hasil yang diharapkan (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    legal_basis = forms.CharField(
        label=_("Dasar pelaksanaan (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    starts_on = forms.DateField(label=_("Mulai"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Selesai"), required=False, widget=DATE)


class ImplementerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Lembaga pelaksana"), queryset=Organisation.objects.active()
    )
    sub_programme = forms.CharField(label=_("Program pelaksana"), max_length=250)
    me_team = forms.CharField(
        label=_("Tim monitoring dan evaluasi"), max_length=250, required=False
    )


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Kegiatan"), max_length=250)
    description = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Sasaran"),
        choices=c.TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_quantity = forms.IntegerField(label=_("Target"), min_value=0, required=False)
    target_unit = forms.CharField(
        label=_("Satuan target"), max_length=40, required=False, help_text=_("Mis. orang, unit.")
    )
    starts_on = forms.DateField(label=_("Mulai"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Selesai"), required=False, widget=DATE)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=c.ActivityStatus.choices)
    achieved_quantity = forms.IntegerField(label=_("Realisasi"), min_value=0, required=False)
    outputs = forms.CharField(
        label=_("Keluaran"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ParticipantForm(forms.Form):
    """A registry person by NIK (sent in the form body, never in a URL), or someone by name."""

    nik = forms.CharField(label=_("NIK (penduduk terdaftar)"), max_length=40, required=False)
    name = forms.CharField(label=_("atau nama"), max_length=150, required=False)
    affiliation = forms.CharField(label=_("Asal/lembaga"), max_length=150, required=False)
    group = forms.ChoiceField(label=_("Kelompok sasaran"), choices=c.TargetGroup.choices)
    attendance = forms.ChoiceField(
        label=_("Kehadiran"), choices=c.Attendance.choices, initial="diundang"
    )

    def clean(self):
        data = super().clean()
        if not (data.get("nik") or "").strip() and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Isi NIK penduduk terdaftar atau nama peserta."))
        return data


class AttendanceForm(forms.Form):
    participant = forms.UUIDField()
    attendance = forms.ChoiceField(choices=c.Attendance.choices)


class RealisationForm(forms.Form):
    period_start = forms.DateField(label=_("Periode mulai"), widget=DATE)
    period_end = forms.DateField(label=_("Periode akhir"), widget=DATE)
    amount = forms.DecimalField(label=_("Realisasi (Rp)"), min_value=0, decimal_places=0)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    evidence = forms.FileField(label=_("Bukti (PDF/JPG/PNG)"), required=False)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=c.MEKind.choices)
    implementer = forms.UUIDField(required=False, widget=forms.HiddenInput)
    period_start = forms.DateField(label=_("Periode mulai"), widget=DATE)
    period_end = forms.DateField(label=_("Periode akhir"), widget=DATE)
    summary = forms.CharField(label=_("Ringkasan"), widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(
        label=_("Temuan dan tindak lanjut"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    file = forms.FileField(label=_("Berkas laporan"), required=False)


class FocalPointForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Pengguna"), queryset=None)
    position = forms.CharField(label=_("Jabatan"), max_length=120, required=False)

    def __init__(self, *args, coordinator=None, **kwargs):
        """Users whose role may be a focal point, inside the coordinator's area."""
        from pandu.accounts.models import User
        from pandu.accounts.roles import roles_with
        from pandu.core.querysets import scope_of

        from ..capabilities import PCap

        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True, role__in=roles_with(PCap.FOCAL_POINT))
        scope = scope_of(coordinator) if coordinator is not None else None
        if scope is None:
            users = users.none()
        elif scope:
            users = users.filter(area__prefix=scope)
        self.fields["user"].queryset = users.order_by("username")


class FundingLineForm(forms.Form):
    implementer = forms.UUIDField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Sumber dana"), choices=c.FundingSource.choices)
    document_number = forms.CharField(
        label=_("Nomor dokumen anggaran (DIPA, DPA)"), max_length=100, required=False
    )
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DATE)
    description = forms.CharField(label=_("Uraian"), max_length=300, required=False)
    planned_amount = forms.DecimalField(
        label=_("Rencana (Rp)"), min_value=0, decimal_places=0, required=False
    )


class MonitoringPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=c.MEKind.choices)
    team = forms.CharField(label=_("Tim penanggung jawab"), max_length=250)
    description = forms.CharField(label=_("Uraian"), max_length=300, required=False)


class IntegratedProgrammeEditForm(VersionedForm, IntegratedProgrammeForm):
    """The same fields as at creation, plus the status and the figures behind the decision."""

    record_kwarg = "programme"

    figures = forms.CharField(
        label=_("Angka yang mendasari (satu per baris: keterangan | nilai | satuan)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Mis. Keluarga miskin | 1250 | KK"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=c.IntegratedStatus.choices)

    field_order = [
        "title",
        "area",
        "status",
        "designated_by",
        "decision_number",
        "decision_date",
        "reasons",
        "figures",
    ]

    def __init__(self, *args, programme, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": programme.title,
                "area": programme.area_id,
                "status": programme.status,
                "designated_by": programme.designated_by,
                "decision_number": programme.decision_number,
                "decision_date": programme.decision_date,
                "reasons": _lines(programme.reasons),
                "figures": "\n".join(
                    " | ".join(str(f.get(k) or "") for k in ("label", "value", "unit")).rstrip(" |")
                    for f in programme.figures or []
                ),
                "objectives": _lines(programme.objectives),
                "expected_results": _lines(programme.expected_results),
                "legal_basis": _lines(programme.legal_basis),
                "starts_on": programme.starts_on,
                "ends_on": programme.ends_on,
            },
        )
        super().__init__(*args, programme=programme, **kwargs)

    def clean_figures(self) -> list[dict]:
        figures = []
        for number, line in enumerate(self.cleaned_data["figures"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if not parts[0] or len(parts) > 3:
                raise forms.ValidationError(
                    _("Baris %(n)s: tulis keterangan | nilai | satuan.") % {"n": number}
                )
            value: object = parts[1] if len(parts) > 1 else ""
            number_text = str(value).replace(".", "").replace(",", ".")
            if NUMBER.match(number_text):
                value = float(number_text) if "." in number_text else int(number_text)
            figures.append(
                {"label": parts[0], "value": value, "unit": parts[2] if len(parts) > 2 else ""}
            )
        return figures


class FocalPointEndForm(forms.Form):
    """The user whose link ends, by username (a natural key, in the form body)."""

    user = forms.CharField(max_length=150, widget=forms.HiddenInput)
