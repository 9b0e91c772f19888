"""Forms of the accounts pages: they parse and give field-level messages; the actions decide."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from pandu.core.uploads import UploadValidator
from pandu.regions.models import Area
from pandu.regions.queries import picker_label

from . import tokens
from .models import DocumentKind, User
from .roles import Role

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


# --- Users ---------------------------------------------------------------------------------


class AreaSelect(forms.Select):
    """The area picker (``/wilayah/cari/``): only the chosen option is rendered, the rest are
    fetched as the user types, inside the user's own area."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"data-area-picker": "/wilayah/cari/", "data-scope": "mine", **(attrs or {})}
        )

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v]
        options = []
        if chosen:
            area = Area.objects.filter(code=chosen[0]).select_related("parent__parent").first()
            if area is not None:
                options.append(self.create_option(name, area.code, picker_label(area), True, 0))
        return [(None, options, 0)]


class UserForm(forms.Form):
    """An account's names, e-mail, role and area; the roles offered are those the administrator
    may give (the action checks the role and the area again)."""

    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={
            "invalid": _("Hanya huruf, angka dan tanda @ . + - _ (tanpa spasi)."),
        },
    )
    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Surel"),
        required=False,
        help_text=_("Untuk pemberitahuan dan mengatur ulang kata sandi lewat surel."),
    )
    role = forms.ChoiceField(label=_("Peran"))
    area = forms.CharField(label=_("Wilayah kerja"), max_length=13, widget=AreaSelect)

    def __init__(self, *args, roles=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in roles]
        if editing:
            del self.fields["username"]

    def clean_area(self) -> str:
        code = (self.cleaned_data.get("area") or "").strip()
        if not Area.objects.filter(code=code).exists():
            raise ValidationError(_("Kode wilayah tidak dikenal."))
        return code

    @staticmethod
    def initial_for(user: User) -> dict:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "area": user.area_id or "",
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=250, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class OneTimePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi sekali pakai"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Kosongkan agar Pandu membuatkan kata sandi acak. Pengguna wajib menggantinya "
            "saat masuk berikutnya."
        ),
    )


# --- Passwords ------------------------------------------------------------------------------


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (the policy checked for this user); the view saves through the action."""


class SetPasswordForm(DjangoSetPasswordForm):
    """The new password of the e-mailed reset link; the view saves through the action."""


# --- Two-factor login -----------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


# --- API tokens -----------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya “Aplikasi lapangan TKSK”."),
    )
    days = forms.TypedChoiceField(
        label=pgettext_lazy("masa berlaku token", "Berlaku"),
        coerce=int,
        choices=[
            (30, _("30 hari")),
            (90, _("90 hari")),
            (180, _("180 hari")),
            (365, _("1 tahun")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = tokens.default_days()
        choices = list(self.fields["days"].choices)
        if default not in {value for value, _label in choices}:
            label = ngettext("%(n)d hari", "%(n)d hari", default) % {"n": default}
            choices.insert(0, (default, label))
        self.fields["days"].choices = choices
        self.fields["days"].initial = default
