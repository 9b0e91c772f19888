"""How the targeting fields read to a person: coded sets and counts as their labels, the desil
with where it came from. Shared by the record pages and the printed profiles, so both say the
same thing."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import choices as c
from .models import Household


def rupiah(value: int | None) -> str:
    """``Rp 1.500.000`` (grouped for the reader's language), ``—`` when not recorded."""
    if value is None:
        return "—"
    return "Rp " + number_format(value, 0, force_grouping=True)


def _labels(codes, choices) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(code, code)) for code in (codes or [])]


def asset_labels(hh: Household) -> list[str]:
    return _labels(hh.assets, c.Asset)


def card_labels(hh: Household) -> list[str]:
    return _labels(hh.cards, c.Card)


def livestock_labels(hh: Household) -> list[str]:
    """``Sapi: 2 ekor`` per kind recorded, in the order of the coded list."""
    counts = hh.livestock or {}
    known = dict(c.Livestock.choices)
    ordered = [k for k in c.Livestock.values if k in counts] + [k for k in counts if k not in known]
    return [
        _("%(kind)s: %(count)s ekor")
        % {"kind": known.get(kind, kind), "count": number_format(counts[kind], 0)}
        for kind in ordered
    ]


def land_area(hh: Household) -> str:
    if hh.land_area is None:
        return "—"
    return _("%(area)s m²") % {"area": number_format(hh.land_area, 0, force_grouping=True)}


def desil_text(hh: Household) -> str:
    """``3 (Impor DTSEN/BPS · DTSEN 2025-I)``; ``Belum ada`` without a desil."""
    if not hh.desil:
        return _("Belum ada")
    origin = [str(hh.get_desil_source_display())] if hh.desil_source else []
    if hh.desil_reference:
        origin.append(hh.desil_reference)
    if not origin:
        return str(hh.desil)
    return _("%(desil)s (%(origin)s)") % {"desil": hh.desil, "origin": " · ".join(origin)}
