"""Charts on a page: ``{% chart "line" rows "label" "n" "Pengaduan" as spec %}`` turns rows (dicts,
objects or pairs) into the small spec ``pandu/charts.js`` draws with Chart.js, and
``{% include "includes/chart.html" with chart_id=... heading=... spec=spec %}`` places it. The spec
travels in a ``json_script`` block: the CSP allows no inline script."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from pandu.accounts.roles import user_can

register = template.Library()

KINDS = ("line", "bar", "hbar", "doughnut")


def _get(row: Any, key: Any) -> Any:
    if isinstance(row, dict):
        return row.get(key)
    if isinstance(row, list | tuple):
        return row[int(key)]
    return getattr(row, str(key), None)


@register.simple_tag
def chart(
    kind: str,
    rows: Iterable[Any] | None,
    label_key: Any,
    value_key: Any,
    series: str = "",
    label_prefix: str = "",
) -> dict:
    if kind not in KINDS:
        raise template.TemplateSyntaxError(f"chart kind must be one of {KINDS}")
    labels, values = [], []
    for row in rows or ():
        label = _get(row, label_key)
        labels.append(f"{label_prefix} {label}".strip() if label_prefix else str(label))
        values.append(_get(row, value_key) or 0)
    return {"type": kind, "labels": labels, "values": values, "series": str(series)}


@register.filter
def can(user: Any, cap: str) -> bool:
    """``{% if user|can:"registry.sensitive" %}``: the role table, read in a template."""
    return user_can(user, cap)
