from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from pandu.core.uploads import UploadValidator

from .models import DocumentKind

LOGO_KINDS = ("png", "jpeg")
LOGO_MAX_BYTES = 1024 * 1024


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }


class OfficeForm(forms.Form):
    """The letterhead of the office of the user's area and one signer per kind of paper."""

    government = forms.CharField(
        label=_("Pemerintah"),
        max_length=150,
        required=False,
        help_text=_("Baris pertama kop, misalnya “Pemerintah Kabupaten Maros”."),
    )
    name = forms.CharField(label=_("Nama kantor"), max_length=150)
    address = forms.CharField(
        label=_("Alamat"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(label=_("Telepon"), max_length=50, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    website = forms.CharField(label=_("Situs web"), max_length=100, required=False)
    place = forms.CharField(
        label=_("Tempat penandatanganan"),
        max_length=100,
        required=False,
        help_text=_("Kota yang ditulis sebelum tanggal surat; kosong: nama wilayah kantor."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        validators=[UploadValidator(kinds=LOGO_KINDS, max_bytes=LOGO_MAX_BYTES)],
        help_text=_("Gambar PNG atau JPEG, paling besar 1 MB."),
    )
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget.attrs["accept"] = UploadValidator(kinds=LOGO_KINDS).accept
        self.signer_rows = []
        for kind, label in DocumentKind.choices:
            row = []
            for key, field_label, max_length in (
                ("name", _("Nama"), 150),
                ("position", _("Jabatan"), 150),
                ("rank", _("Pangkat/golongan"), 100),
                ("nip", _("NIP"), 18),
            ):
                name = f"{kind}_{key}"
                self.fields[name] = forms.CharField(
                    label=field_label, max_length=max_length, required=False
                )
                if key == "nip":
                    self.fields[name].widget.attrs["inputmode"] = "numeric"
                row.append(name)
            self.signer_rows.append((label, row))

    def signer_fields(self):
        """``[(document label, [bound fields])]`` for the signers' table."""
        return [(label, [self[name] for name in names]) for label, names in self.signer_rows]

    def office_fields(self):
        return [
            self[name]
            for name in (
                "government",
                "name",
                "address",
                "phone",
                "email",
                "website",
                "place",
                "logo",
                "remove_logo",
            )
        ]

    def signers(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            kind: {k: data.get(f"{kind}_{k}", "") for k in ("name", "position", "rank", "nip")}
            for kind in DocumentKind.values
        }

    @staticmethod
    def initial_for(office) -> dict:
        if office is None:
            return {}
        initial = {
            k: getattr(office, k)
            for k in ("government", "name", "address", "phone", "email", "website", "place")
        }
        for signer in office.signers.all():
            for k in ("name", "position", "rank", "nip"):
                initial[f"{signer.document}_{k}"] = getattr(signer, k)
        return initial
