"""Creating users and their API tokens; setting up an office's letterhead and signers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from pandu.regions.models import Area

from .models import DocumentKind, Office, Signer, User
from .roles import Cap, Role


@transaction.atomic
def create_user(
    username: str, *, role: str, area_code: str, password: str | None = None, **extra
) -> User:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Peran tidak dikenal: %(r)s. Pilih salah satu: %(all)s")
                % {"r": role, "all": ", ".join(Role.values)}
            }
        )
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError({"area": _("Kode wilayah tidak dikenal: %(c)s") % {"c": area_code}})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Nama pengguna sudah dipakai.")})
    user = User(username=username, role=role, area=area, **extra)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def issue_token(user: User, *, renew: bool = False) -> str:
    if renew:
        Token.objects.filter(user=user).delete()
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


OFFICE_FIELDS = ("government", "name", "address", "phone", "email", "website", "place")
SIGNER_FIELDS = ("name", "position", "rank", "nip")


def _check_nip(nip: str) -> None:
    if nip and not (nip.isdigit() and len(nip) == 18):
        raise ValidationError(_("NIP terdiri atas 18 angka (tanpa spasi): %(nip)s") % {"nip": nip})


@transaction.atomic
def save_office(
    user: User,
    area: Area,
    *,
    fields: dict,
    signers: dict[str, dict],
    logo=None,
    remove_logo: bool = False,
) -> Office:
    """Set up (or change) the letterhead of the office for ``area``: its text, its logo (an image
    already checked by ``core.uploads``) and one signer per kind of paper; a kind whose name and
    position are left empty has no signer of its own (the default signer signs it)."""
    if not user.can(Cap.MANAGE_OFFICE) or not user.in_scope(area.code):
        raise PermissionDenied(_("Anda tidak berwenang mengatur kop surat wilayah ini."))
    office = Office.objects.filter(area=area).first() or Office(area=area)
    for key in OFFICE_FIELDS:
        setattr(office, key, (fields.get(key) or "").strip())
    errors: dict[str, list[str]] = {}
    for kind, data in signers.items():
        if kind not in DocumentKind.values:
            raise ValidationError(_("Jenis dokumen tidak dikenal: %(k)s") % {"k": kind})
        name, position = (data.get("name") or "").strip(), (data.get("position") or "").strip()
        if bool(name) != bool(position):
            errors.setdefault(f"{kind}_name", []).append(
                _("Isi nama dan jabatan penanda tangan, atau kosongkan keduanya.")
            )
        try:
            _check_nip((data.get("nip") or "").strip())
        except ValidationError as exc:
            errors.setdefault(f"{kind}_nip", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    office.updated_by = user
    office.full_clean(exclude=["logo", "updated_by"])
    if remove_logo and office.logo:
        office.logo.delete(save=False)
        office.logo = ""
    office.save()
    if logo is not None:
        if office.logo:
            office.logo.delete(save=False)
        logo.seek(0)
        office.logo.save("logo", logo, save=True)
    for kind, data in signers.items():
        values = {k: (data.get(k) or "").strip() for k in SIGNER_FIELDS}
        if values["name"]:
            Signer.objects.update_or_create(office=office, document=kind, defaults=values)
        else:
            Signer.objects.filter(office=office, document=kind).delete()
    return office
