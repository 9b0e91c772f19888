"""Which kind of body a partner agency or a PSKS institution is, for the one list."""

from __future__ import annotations

#: Partner agency kinds (services.choices.AgencyKind) → organisation kind.
FROM_AGENCY_KIND = {
    "lks": "lks",
    "other": "lainnya",
}
#: PSKS institution types (registry.reference slugs) → organisation kind.
FROM_PSKS_TYPE = {
    "lks": "lks",
    "lk3": "lks",
    "karang-taruna": "masyarakat",
    "wksbm": "masyarakat",
    "dunia-usaha": "usaha",
}


def for_agency(kind: str) -> str:
    """Government offices, the police, BPJS and the religious affairs office are government."""
    return FROM_AGENCY_KIND.get(kind, "pemerintah")


def for_psks(slug: str) -> str:
    return FROM_PSKS_TYPE.get(slug, "lainnya")
