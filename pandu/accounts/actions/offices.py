"""Setting up an office's letterhead and signers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.regions.models import Area

from ..models import DocumentKind, Office, Signer, User
from ..roles import Cap

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
