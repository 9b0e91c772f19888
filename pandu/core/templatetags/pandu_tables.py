"""The rows of a list table, built in one pass in Python.

django-tables2 renders a cell through several template nodes and inspects the signature of the
column's ``render`` method again for every cell; on a page of 50 rows that costs more than the
queries behind it. ``{% table_rows table %}`` writes the same ``<tr>``/``<td>`` markup as
``core/table.html`` did with the library's per-cell loop: each cell's value still comes from the
library's own row logic (accessors, ``get_FOO_display``, empty values, links), but what does not
change from row to row (a column's ``render`` signature, its ``<td>`` attributes, its label) is
worked out once per table. ``core/tests/test_table_rows.py`` holds the two renderings equal for
every table in the project.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import A, signature

register = template.Library()


def _has_callable(attrs: Any) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(value) for value in attrs.values())
    return False


class _Column:
    """What a bound column needs to render its cells, worked out once per table."""

    __slots__ = (
        *("bound", "name", "render", "args", "catch_all", "td", "label", "localize"),
        *("accessor", "path", "remainder", "fields", "generic"),
    )

    def __init__(self, bound) -> None:
        self.bound = bound
        self.name = bound.name
        self.render = bound.render
        self.args, self.catch_all = signature(self.render)
        # Attributes given as callables depend on the row: those are computed per cell.
        self.td = None if _has_callable(bound.column.attrs) else bound.attrs["td"].as_html()
        self.label = escape(strip_tags(str(bound.header)))
        self.localize = bound.localize
        self.accessor = A(bound.accessor)
        path, _, self.remainder = self.accessor.rpartition(A.SEPARATOR)
        self.path = A(path)
        self.fields: dict[type, Any] = {}
        # Columns whose values the library treats specially take its own path.
        self.generic = isinstance(bound.column, BaseLinkColumn | ManyToManyColumn)

    def value(self, row):
        """The cell's content: the library's row logic, with its per-model lookups cached."""
        bound = self.bound
        if self.generic:
            return row._get_and_render_with(
                bound, render_func=lambda b, v=None: self.call(row, b, v), default=bound.default
            )
        record = row.record
        value = None
        remainder = self.remainder
        penultimate = self.path.resolve(record, quiet=True)
        if isinstance(penultimate, models.Model):
            # A choices field shows its label (get_FOO_display), as the library does.
            kind = type(record)
            if kind not in self.fields:
                self.fields[kind] = self.accessor.get_field(record)
            field = self.fields[kind]
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if getattr(field, "choices", ()) and display:
                value = display()
                remainder = ""
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:  # noqa: BLE001 - a column not backed by a field renders as empty
                value = None
        if value in bound.column.empty_values:
            return bound.default
        return self.call(row, bound, value)

    def call(self, row, bound_column, value=None):
        kwargs = row._optional_cell_arguments(bound_column, value)
        if self.catch_all:
            content = self.render(**kwargs)
        elif any(arg not in kwargs for arg in self.args):
            content = None
        else:
            content = self.render(**{arg: kwargs[arg] for arg in self.args})
        return bound_column.link(content, **kwargs) if bound_column.link else content

    def td_attrs(self, row, value) -> str:
        if self.td is not None:
            return self.td
        self.bound.current_value = value
        self.bound.current_record = row.record
        return self.bound.attrs["td"].as_html()

    def html(self, value, context) -> str:
        if self.localize is None:
            return render_value_in_context(value, context)
        if self.localize:
            return conditional_escape(localize(value, use_l10n=True))
        return conditional_escape(localize(value, use_l10n=False))


def rows_html(table, rows, context) -> SafeString:
    columns = [_Column(bound) for bound in table.columns]
    out: list[str] = []
    for row in rows:
        out.append(f"<tr {row.attrs.as_html()}>")
        for col in columns:
            value = col.value(row)
            out.append(
                f'<td {col.td_attrs(row, value)} data-label="{col.label}">'
                f"{col.html(value, context)}</td>"
            )
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every part is escaped above


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> SafeString:
    """The ``<tr>`` elements of the table's page, or its empty text in one row."""
    body = rows_html(table, table.paginated_rows, context)
    if body or not table.empty_text:
        return body
    return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
