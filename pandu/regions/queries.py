"""Reads of the area tree: lookups used by forms, pickers and NIK checks."""

from functools import lru_cache

from django.db.models import Q

from .models import Area, Level


@lru_cache(maxsize=1)
def _district_codes() -> frozenset[str]:
    return frozenset(Area.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))


def district_exists(code: str) -> bool:
    """Whether a dotted district code is in the current official list (cached per process)."""
    codes = _district_codes()
    if not codes:
        # No areas loaded yet: nothing to compare with, so no warning.
        return True
    return code in codes


def forget_cached_codes() -> None:
    _district_codes.cache_clear()


def _short(area: Area) -> str:
    """A containing area as a picker names it: "Kec. Moncongloe", "Kab. Maros", "Kota Makassar"."""
    name = area.name
    if area.level == Level.DISTRICT:
        return f"Kec. {name}"
    if area.level == Level.REGENCY:
        for long, short in (("Kabupaten ", "Kab. "), ("KABUPATEN ", "Kab. ")):
            if name.startswith(long):
                return short + name[len(long) :]
    return name


def picker_label(area: Area) -> str:
    """What a picker shows for an area, saying where it lies: a village with its district and
    regency ("Moncongloe — Kec. Moncongloe, Kab. Maros"), a district with its regency, a
    regency with its province. Needs ``parent__parent`` (``search_areas`` selects it)."""
    parents = []
    parent = area.parent
    if parent is not None:
        parents.append(_short(parent))
        if area.level == Level.VILLAGE and parent.parent is not None:
            parents.append(_short(parent.parent))
    return f"{area.name} — {', '.join(parents)}" if parents else area.name


def search_areas(
    term: str, *, level: int | None = None, within: str | None = None, limit: int = 20
):
    """Areas whose name or code matches ``term``, optionally of one level and inside an area."""
    qs = Area.objects.all()
    if level:
        qs = qs.filter(level=level)
    if within:
        qs = qs.filter(code__startswith=within)
    term = (term or "").strip()
    if term:
        if term[:1].isdigit():
            qs = qs.filter(code__startswith=term)
        else:
            qs = qs.filter(Q(name__istartswith=term) | Q(name__icontains=f" {term}"))
    return qs.select_related("parent__parent").order_by("level", "name")[:limit]
