"""Lists: every list page is built one way. A FilterSet narrows the rows, a django-tables2 table
renders them and a bounded page shows a slice of them without counting the whole set.

A page never holds more than ``MAX_PER_PAGE`` rows and never reaches deeper than ``MAX_OFFSET``
rows: a whole area's people are an export (logged as one, see ``pandu.exchange``), not a page.
A ``per_page`` or ``page`` that is not a positive whole number falls back to the default with no
error page; a bigger ``per_page`` is capped and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig, Table
from django_tables2.paginators import LazyPaginator

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# Deeper than this a list page is not the way to read the rows (each page would skip them all
# again); the page asks for a narrower filter or an export instead.
MAX_OFFSET = 100_000

CAPPED = _(
    "Paling banyak %(n)s baris per halaman. Daftar yang lebih panjang diambil lewat ekspor "
    "(dicatat)."
)
# How far a cut work queue counts what it left out: enough to say how much is missing, bounded
# so that the count never walks a whole region's rows.
COUNT_CAP = 10_000

SHOWING_FIRST = _(
    "Menampilkan %(shown)s dari %(total)s; persempit saringan untuk melihat yang lainnya."
)
SHOWING_FIRST_OF_MANY = _(
    "Menampilkan %(shown)s dari lebih dari %(total)s; persempit saringan untuk melihat yang "
    "lainnya."
)
TOO_DEEP = _(
    "Halaman sejauh itu tidak ditampilkan. Persempit saringan, atau ambil daftar lengkap lewat "
    "ekspor (dicatat)."
)


def secondary(**attrs: dict) -> dict:
    """Column attributes (django-tables2 ``attrs``) of a column a phone can do without: shown
    from the md breakpoint up, left out of the narrow screen's row cards. ``attrs`` adds to them
    (``td={"class": "nik"}``)."""
    out: dict = {}
    for part in ("th", "td"):
        extra = dict(attrs.get(part, {}))
        classes = " ".join(filter(None, [extra.pop("class", ""), "d-none d-md-table-cell"]))
        out[part] = {**extra, "class": classes}
    for part, value in attrs.items():
        out.setdefault(part, value)
    return out


def positive_int(raw: str | None) -> int | None:
    """A whole number of at least 1 typed in a query string, or None for anything else."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    value = int(raw)
    return value if value >= 1 else None


def rows_per_page(
    request, *, default: int = DEFAULT_PER_PAGE, field: str = "per_page"
) -> tuple[int, bool]:
    """The rows per page the request asks for, and whether it asked for more than the cap."""
    wanted = positive_int(request.GET.get(field))
    if wanted is None:
        return min(default, MAX_PER_PAGE), False
    if wanted > MAX_PER_PAGE:
        return MAX_PER_PAGE, True
    return wanted, False


def paginate(
    request,
    table: Table,
    *,
    per_page: int = DEFAULT_PER_PAGE,
    export_url: str = "",
) -> Table:
    """Order the table as the request asks (``?sort=``) and give it one bounded page.

    The paginator never counts (LazyPaginator): it fetches one row more than the page to know
    whether there is a next one. A page past the end shows the first page.
    """
    RequestConfig(request, paginate=False).configure(table)
    size, capped = rows_per_page(request, default=per_page, field=table.prefixed_per_page_field)
    number = positive_int(request.GET.get(table.prefixed_page_field)) or 1
    notices: list[str] = []
    if capped:
        notices.append(str(CAPPED) % {"n": MAX_PER_PAGE})
    if (number - 1) * size > MAX_OFFSET:
        notices.append(str(TOO_DEEP))
        number = 1
    try:
        table.paginate(paginator_class=LazyPaginator, per_page=size, page=number)
    except EmptyPage:
        table.paginate(paginator_class=LazyPaginator, per_page=size, page=1)
    # Read by the project's table template (core/table.html), under the page links.
    table.list_notices = notices  # type: ignore[attr-defined]
    table.export_url = export_url  # type: ignore[attr-defined]
    return table


@dataclass
class ListPage:
    """What a list view hands its template: the filter form's FilterSet and the paged table."""

    table: Table
    filterset: Any = None

    @property
    def rows(self) -> list:
        """The records of the page shown (for views that add what the table reads)."""
        if not self.table.page:
            return []
        return [getattr(row, "record", row) for row in self.table.page.object_list]


def build_list(
    request,
    queryset,
    table_class: type[Table],
    *,
    filterset_class: type | None = None,
    prepare_filters: Callable[[Any], Any] | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    export_url: str = "",
    table_kwargs: dict | None = None,
) -> ListPage:
    """Filter ``queryset`` by the request's query string, render it with ``table_class`` and
    page it.

    ``queryset`` must already be narrowed to what the user may see (``visible_to``).
    ``prepare_filters`` may change the filter form before it is read (drop or relabel fields).
    """
    filterset = None
    rows = queryset
    if filterset_class is not None:
        filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
        if prepare_filters is not None:
            prepare_filters(filterset)
        if filterset.is_bound:
            rows = filterset.qs
    table = table_class(rows, **(table_kwargs or {}))
    paginate(request, table, per_page=per_page, export_url=export_url)
    return ListPage(table=table, filterset=filterset)


@dataclass
class FirstRows:
    """The first ``limit`` rows of a work queue that stays one grouped page (items grouped by
    week, a form that decides many at once), and how many there were when it had to cut."""

    rows: list
    limit: int
    total: int | None = None  # None: nothing was left out
    total_capped: bool = False  # True: more than ``total`` (the count stopped there)

    @property
    def cut(self) -> bool:
        return self.total is not None

    @property
    def notice(self) -> str:
        """What the page says above a cut queue; empty when nothing was left out."""
        if self.total is None:
            return ""
        message = SHOWING_FIRST_OF_MANY if self.total_capped else SHOWING_FIRST
        return str(message) % {
            "shown": number_format(len(self.rows), force_grouping=True),
            "total": number_format(self.total, force_grouping=True),
        }


def first_rows(queryset, limit: int, *, count_cap: int | None = None) -> FirstRows:
    """At most ``limit`` rows of ``queryset`` (already ordered and narrowed to what the user may
    see). One row more is fetched to know whether any were left out; only then are they counted,
    and never further than ``count_cap`` rows (``COUNT_CAP`` unless said)."""
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return FirstRows(rows=rows, limit=limit)
    cap = max(COUNT_CAP if count_cap is None else count_cap, limit + 1)
    total = queryset.order_by()[: cap + 1].count()
    if total > cap:
        return FirstRows(rows=rows[:limit], limit=limit, total=cap, total_capped=True)
    return FirstRows(rows=rows[:limit], limit=limit, total=total)
