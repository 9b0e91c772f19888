"""The premium ledger, computed over sets: the monthly run and the refresh after a payment.

Three steps, a few SQL statements over all the members concerned (none loops over members
in Python), each member row updated once:

1. **Dues.** For each month from the oldest one a member still lacks to the month of ``on``,
   one ``INSERT … SELECT`` writes that month's due for every active member whose dues run from
   that month or earlier and who has none for it yet (``dues_through``), at the premium of the
   terms in force on the month's first day (a ``CASE`` over the few schemes). Lapsed and ended
   members owe nothing new.
2. **Cover.** Payments add to ``total_paid`` when they are recorded. Dues are settled oldest
   first: a running sum (a window) over each member's dues still open — those after
   ``paid_through`` — against what the payments left over gives the new ``paid_through``, the
   oldest unpaid month and the months in arrears; the same pass adds the new dues to
   ``total_due`` and moves ``dues_through``. Settled months are never looked at again.
3. **Lapse.** A member whose oldest unpaid month is ``U`` is covered through the due day of
   month ``U + lapse_after_months − 1`` plus the grace period (``rules.lapse_day``: a handful
   of distinct dates per scheme, computed in Python and joined back in the same update); a
   member still active after that day lapses from the next, their cover period ends on it,
   and the history says so.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .choices import MemberStatus
from .rules import add_months, lapse_day, month_start

M = "insurance_member"
D = "insurance_premiumdue"
P = "insurance_coverperiod"


def _filter(
    provider_id: int | None, member_ids: Iterable[int] | None, alias: str = ""
) -> tuple[str, list]:
    prefix = f"{alias}." if alias else ""
    sql, params = "", []
    if provider_id is not None:
        sql += f" AND {prefix}provider_id = %s"
        params.append(provider_id)
    if member_ids is not None:
        ids = list(member_ids) or [0]
        sql += f" AND {prefix}id IN ({', '.join(['%s'] * len(ids))})"
        params.extend(ids)
    return sql, params


def _terms_by_scheme(month: date, scheme_ids: list[int]) -> dict[int, Any]:
    from .models import SchemeTerms

    chosen: dict[int, Any] = {}
    rows = SchemeTerms.objects.filter(
        scheme_id__in=scheme_ids, valid_from__lte=month, withdrawn=False
    ).order_by("scheme_id", "-valid_from")
    for terms in rows:
        chosen.setdefault(terms.scheme_id, terms)
    return chosen


def _write_dues(cur, on: date, provider_id, member_ids) -> int:
    """Step 1; returns the number of dues written."""
    target = month_start(on)
    where, params = _filter(provider_id, member_ids)
    cur.execute(
        f"SELECT MIN(COALESCE(dues_through, dues_from)), MIN(dues_from) FROM {M} "  # noqa: S608 - table names and placeholders only
        f"WHERE status = %s{where}",
        [MemberStatus.ACTIVE, *params],
    )
    first, _lowest = cur.fetchone()
    if first is None:
        return 0
    if isinstance(first, str):
        first = date.fromisoformat(first)
    cur.execute(
        f"SELECT DISTINCT scheme_id FROM {M} WHERE status = %s{where}",  # noqa: S608 - table names and placeholders only
        [MemberStatus.ACTIVE, *params],
    )
    scheme_ids = [r[0] for r in cur.fetchall()]
    written = 0
    month = month_start(first)
    while month <= target:
        terms = _terms_by_scheme(month, scheme_ids)
        if terms:
            amount_case = " ".join("WHEN %s THEN %s" for _ in terms)
            amount_params: list[Any] = []
            due_params: list[Any] = []
            for scheme_id, t in terms.items():
                amount_params += [scheme_id, int(t.monthly_premium)]
                due_params += [scheme_id, month.replace(day=t.due_day)]
            holders = ", ".join(["%s"] * len(terms))
            cond = (
                f"status = %s AND dues_from <= %s AND (dues_through IS NULL OR dues_through < %s) "
                f"AND scheme_id IN ({holders}){where}"
            )
            cond_params = [MemberStatus.ACTIVE, month, month, *terms.keys(), *params]
            cur.execute(
                f"INSERT INTO {D} (membership_id, month, amount, due_on) "  # noqa: S608 - table names and placeholders only
                f"SELECT id, %s, CASE scheme_id {amount_case} END, "
                f"CASE scheme_id {amount_case} END "
                f"FROM {M} WHERE {cond}",
                [month, *amount_params, *due_params, *cond_params],
            )
            written += max(cur.rowcount, 0)
        month = add_months(month, 1)
    return written


COVER_SQL = """
SELECT c.membership_id, MAX(c.scheme_id),
       MAX(CASE WHEN c.cum <= c.remaining THEN c.month END),
       MAX(CASE WHEN c.cum <= c.remaining THEN c.cum ELSE 0 END),
       MIN(CASE WHEN c.cum > c.remaining THEN c.month END),
       SUM(CASE WHEN c.cum > c.remaining AND c.due_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.fresh = 1 THEN c.amount ELSE 0 END),
       MAX(c.month)
FROM (
    SELECT m.id AS membership_id, m.scheme_id, d.month, d.due_on, d.amount,
           CASE WHEN m.dues_through IS NULL OR d.month > m.dues_through THEN 1 ELSE 0 END
               AS fresh,
           m.total_paid - m.covered_amount AS remaining,
           SUM(d.amount) OVER (PARTITION BY m.id ORDER BY d.month) AS cum
    FROM {M} m {join}
    WHERE m.status <> %s{where}
) c
GROUP BY c.membership_id
"""


def _open_dues_join() -> str:
    """Each member's dues after ``paid_through``. PostgreSQL is told to look them up member by
    member in the (member, month) index (``LATERAL``) instead of merging every due ever
    written; SQLite does so by itself."""
    if connection.vendor == "postgresql":
        return (
            f"CROSS JOIN LATERAL (SELECT month, due_on, amount FROM {D} "  # noqa: S608 - table names only
            "WHERE membership_id = m.id "
            "AND month > COALESCE(m.paid_through, DATE '0001-01-01') OFFSET 0) d"
        )
    return (
        f"JOIN {D} d ON d.membership_id = m.id "
        "AND (m.paid_through IS NULL OR d.month > m.paid_through)"
    )


def _analyze(cur, table: str) -> None:
    """PostgreSQL plans a join with a temporary table blind until it has statistics."""
    if connection.vendor == "postgresql":
        cur.execute(f"ANALYZE {table}")


def _lapse_map(cur, on: date) -> None:
    """Each (scheme, oldest unpaid month) pair's last day of cover, in ``tmp_askesos_lapse``:
    a handful of dates computed in Python (``rules.lapse_day``), joined back in SQL."""
    from .models import Scheme

    cur.execute(
        "SELECT DISTINCT scheme_id, unpaid_from FROM tmp_askesos_cover "
        "WHERE unpaid_from IS NOT NULL"
    )
    pairs = cur.fetchall()
    schemes = {s.pk: s for s in Scheme.objects.filter(pk__in={p[0] for p in pairs})}
    rows = []
    for scheme_id, unpaid in pairs:
        if isinstance(unpaid, str):
            unpaid = date.fromisoformat(unpaid)
        terms = schemes[scheme_id].terms_on(on) or schemes[scheme_id].terms_on(unpaid)
        if terms is not None:
            rows.append((scheme_id, unpaid, lapse_day(unpaid, terms)))
    cur.execute("DROP TABLE IF EXISTS tmp_askesos_lapse")
    cur.execute(
        "CREATE TEMPORARY TABLE tmp_askesos_lapse "
        "(scheme_id bigint, unpaid_from date, lapse_on date, PRIMARY KEY (scheme_id, unpaid_from))"
    )
    if rows:
        cur.executemany("INSERT INTO tmp_askesos_lapse VALUES (%s, %s, %s)", rows)
    _analyze(cur, "tmp_askesos_lapse")


def _cover(cur, on: date, provider_id, member_ids) -> None:
    """Steps 2 and 3a: settle the open dues oldest first, add the new dues to the totals and
    set each member's last day of cover, in one update of the members concerned."""
    where, params = _filter(provider_id, member_ids, "m")
    cur.execute("DROP TABLE IF EXISTS tmp_askesos_cover")
    cur.execute(
        "CREATE TEMPORARY TABLE tmp_askesos_cover (membership_id bigint PRIMARY KEY, "
        "scheme_id bigint, paid_through date, covered numeric(16,0), unpaid_from date, "
        "months integer, new_due numeric(16,0), last_due date)"
    )
    cur.execute(
        "INSERT INTO tmp_askesos_cover "
        + COVER_SQL.format(M=M, D=D, where=where, join=_open_dues_join()),
        [on, MemberStatus.ENDED, *params],
    )
    _analyze(cur, "tmp_askesos_cover")
    _lapse_map(cur, on)
    mwhere, mparams = _filter(provider_id, member_ids)
    cur.execute(
        f"UPDATE {M} SET "  # noqa: S608 - table names and placeholders only
        f"paid_through = COALESCE(t.paid_through, {M}.paid_through), "
        "covered_amount = covered_amount + t.covered, "
        "unpaid_from = t.unpaid_from, months_unpaid = t.months, "
        "total_due = total_due + t.new_due, "
        f"dues_through = CASE WHEN t.new_due > 0 THEN t.last_due ELSE {M}.dues_through END, "
        "lapse_on = l.lapse_on "
        "FROM tmp_askesos_cover t LEFT JOIN tmp_askesos_lapse l "
        "ON l.scheme_id = t.scheme_id AND l.unpaid_from = t.unpaid_from "
        f"WHERE t.membership_id = {M}.id"
    )
    # Members with no open dues: paid up (or owing nothing yet).
    cur.execute(
        f"UPDATE {M} SET unpaid_from = NULL, months_unpaid = 0, lapse_on = NULL "  # noqa: S608 - table names and placeholders only
        f"WHERE status <> %s AND unpaid_from IS NOT NULL{mwhere} "
        f"AND NOT EXISTS (SELECT 1 FROM tmp_askesos_cover t WHERE t.membership_id = {M}.id)",
        [MemberStatus.ENDED, *mparams],
    )
    cur.execute("DROP TABLE tmp_askesos_cover")
    cur.execute("DROP TABLE tmp_askesos_lapse")


def _lapse(cur, on: date, provider_id, member_ids) -> int:
    """Step 3b: active members past their last day of cover lapse from the next day. Their
    open cover periods end on that last day in one statement; the status change goes through
    ``bulk_update_with_history`` so each member's history says why."""
    from .models import Member

    qs = Member.objects.filter(status=MemberStatus.ACTIVE, lapse_on__lt=on)
    if provider_id is not None:
        qs = qs.filter(provider_id=provider_id)
    if member_ids is not None:
        qs = qs.filter(pk__in=list(member_ids))
    lapsing = list(qs.only("pk", "status", "status_on", "lapse_on"))
    if not lapsing:
        return 0
    where, params = _filter(provider_id, member_ids, "m")
    cur.execute(
        f'UPDATE {P} SET "end" = (SELECT m.lapse_on FROM {M} m WHERE m.id = {P}.membership_id) '  # noqa: S608 - table names and placeholders only
        f'WHERE "end" IS NULL AND membership_id IN '
        f"(SELECT m.id FROM {M} m WHERE m.status = %s AND m.lapse_on < %s{where})",
        [MemberStatus.ACTIVE, on, *params],
    )
    reason = _("Gugur: iuran menunggak melewati masa tenggang")
    for member in lapsing:
        assert member.lapse_on is not None
        member.status = MemberStatus.LAPSED
        member.status_on = member.lapse_on + timedelta(days=1)
    bulk_update_with_history(
        lapsing, Member, ["status", "status_on"], batch_size=2000, default_change_reason=reason
    )
    return len(lapsing)


def run(
    on: date, *, provider_id: int | None = None, member_ids: Iterable[int] | None = None
) -> dict[str, Any]:
    """The ledger as of ``on`` for every member (or one provider's, or the given members)."""
    ids = list(member_ids) if member_ids is not None else None
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # A few large statements: compiling them costs more than it saves.
            cur.execute("SET LOCAL jit = off")
        dues = _write_dues(cur, on, provider_id, ids)
        _cover(cur, on, provider_id, ids)
        lapsed = _lapse(cur, on, provider_id, ids)
    return {
        "on": on.isoformat(),
        "dues_written": dues,
        "lapsed": lapsed,
        "seconds": round(time.perf_counter() - started, 3),
    }
