"""Which office's letterhead a paper carries: the office set up for the nearest area above the
record (a village's district, then its regency, then its province), else the office named in
``settings.PANDU_OFFICE_NAME``."""

from __future__ import annotations

from django.conf import settings

from pandu.core.printing import Letterhead, SignerInfo

from .models import Office


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in (2, 5, 8, 13) if n <= len(code)]


def office_for(area_code: str | None) -> Office | None:
    """The office whose area is the nearest one containing ``area_code``."""
    if not area_code:
        return None
    offices = Office.objects.filter(area_id__in=_prefixes(area_code)).select_related("area")
    return max(offices, key=lambda o: len(o.area_id), default=None)


def _place(office: Office) -> str:
    """The town a regency office signs in: "Kabupaten Maros" signs as "Maros"."""
    name = office.area.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi ", "Kab. "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix) :]
    return name


def _logo_bytes(office: Office) -> bytes | None:
    if not office.logo:
        return None
    try:
        with office.logo.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def letterhead(office: Office | None) -> Letterhead:
    if office is None:
        return Letterhead(name=settings.PANDU_OFFICE_NAME)
    return Letterhead(
        name=office.name,
        government=office.government,
        address=office.address,
        phone=office.phone,
        email=office.email,
        website=office.website,
        place=office.place or _place(office),
        logo=_logo_bytes(office),
        signers={
            s.document: SignerInfo(name=s.name, position=s.position, rank=s.rank, nip=s.nip)
            for s in office.signers.all()
        },
    )


def letterhead_for(area_code: str | None) -> Letterhead:
    """The letterhead for a paper about a record in ``area_code`` (or printed by a user whose
    area it is)."""
    return letterhead(office_for(area_code))
