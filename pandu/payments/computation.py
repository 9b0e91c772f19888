"""The set-based computation of a cycle: a few SQL statements over all the programme's KPM.

One ``GROUP BY`` over the area's active KPM joined to their families' active members counts,
per KPM, the members each component's person condition matches (conditions compiled by
``targeting.rules`` to SQL over people, ages on the cycle's first day). Layers of
``SELECT`` over that aggregate then apply, in this order:

1. each component's limit (``CASE WHEN n > max THEN max``);
2. the per-family cap on members counted, component by component in the configured order:
   with ``L_k`` the limited counts of the first ``k`` components summed, component ``k`` keeps
   ``min(cap, L_k) − min(cap, L_{k−1})`` members;
3. the amounts: members × the component's amount for one cycle, summed; then the per-family
   cap on the amount (``capped`` says it bit).

The rows land in a temporary table, from which one ``INSERT … SELECT`` writes the cycle's
entitlements (KPM owed nothing are left out) and one more pass adds up the figures. Nothing
loops over families in Python; :func:`reference` does, for the tests.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from pandu.targeting import rules
from pandu.targeting.engine import condition_sql

from .choices import ChannelRule, EntitlementStatus
from .queries import in_force


@dataclass
class Part:
    """One component in force for the cycle."""

    code: str
    condition: dict | None
    max_count: int | None
    rate: int  # rupiah per member for one cycle


@dataclass
class Plan:
    cycle_id: int
    programme_id: int
    area: str
    as_of: date
    parts: list[Part]
    period_end: date | None = None
    cap_members: int | None = None
    cap_amount: int | None = None
    channel: str = ChannelRule.AUTO
    warnings: list[str] = field(default_factory=list)


def cycle_rate(amount: Decimal, per: str, months: int) -> int:
    """A component's amount for one cycle of ``months`` months, to the rupiah (half up)."""
    if per == "tahun":
        value = amount * months / 12
    elif per == "bulan":
        value = amount * months
    else:  # per stage (= per cycle), once, per group, per unit
        value = amount
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plan_for(cycle, scheme) -> Plan:
    """What the cycle computes: the components and amounts in force on its first day."""
    from .models import Component

    day = cycle.period_start
    programme = cycle.programme
    amounts = {a.component: a for a in programme.amounts_on(day).order_by("valid_from")}
    parts = []
    errors = []
    components = in_force(Component.objects.filter(programme=programme), day).order_by(
        "position", "code"
    )
    for component in components:
        amount = amounts.get(component.code)
        if amount is None:
            errors.append(
                _("Komponen %(code)s tidak punya nilai bantuan yang berlaku pada %(day)s.")
                % {"code": component.code, "day": f"{day:%d-%m-%Y}"}
            )
            continue
        condition = component.condition or None
        if condition is not None:
            try:
                rules.validate_person(condition)
            except rules.RuleError as exc:
                errors.extend(f"{component.code}: {m}" for m in exc.messages)
                continue
        parts.append(
            Part(
                code=component.code,
                condition=condition,
                max_count=component.max_count or amount.max_count,
                rate=cycle_rate(amount.amount, amount.per, scheme.months_per_cycle),
            )
        )
    if errors:
        raise ValidationError(errors)
    if not parts:
        raise ValidationError(
            _("Program %(programme)s belum punya komponen hak yang berlaku pada %(day)s.")
            % {"programme": programme.code, "day": f"{day:%d-%m-%Y}"}
        )
    return Plan(
        cycle_id=cycle.pk,
        programme_id=programme.pk,
        area=cycle.area_id,
        as_of=day,
        parts=parts,
        period_end=cycle.period_end,
        cap_members=scheme.cap_members,
        cap_amount=int(scheme.cap_amount) if scheme.cap_amount is not None else None,
        channel=scheme.channel,
    )


# --- The SQL ----------------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _min(expr: str, limit: int) -> str:
    return f"CASE WHEN {expr} > {int(limit)} THEN {int(limit)} ELSE {expr} END"


def counts_sql(plan: Plan) -> tuple[str, list]:
    """One row per active KPM of the area: ``eid``, ``hid``, ``rid``, ``vid`` and ``c{k}``,
    the active members component ``k`` counts (1 for a component of the family itself)."""
    from pandu.programs.models import Enrolment
    from pandu.registry.models import Household, Person

    e, h, p = (_q(m._meta.db_table) for m in (Enrolment, Household, Person))
    reads_people = _reads_people(plan)
    village = f"{h}.{_q('village_id')}"
    columns = [
        f"{e}.{_q('id')} AS eid",
        f"{e}.{_q('household_id')} AS hid",
        f"{e}.{_q('recipient_id')} AS rid",
        # Grouped by the KPM alone (its own columns depend on it); the family's village is
        # one per KPM, and MIN takes it without a second grouping key (half the time).
        f"MIN({village}) AS vid" if reads_people else f"{village} AS vid",
    ]
    if reads_people:
        # Whether the recipient, one of the family's active members, has a KKS account: read
        # in the same pass (the channel), instead of a second look-up per KPM.
        account = f"{p}.{_q('bank_account')}"
        columns.append(
            f"MAX(CASE WHEN {p}.{_q('id')} = {e}.{_q('recipient_id')} AND {account} IS NOT NULL "
            f"AND {account} <> '' THEN 1 ELSE 0 END) AS acct"
        )
    else:
        columns.append("0 AS acct")
    params: list[Any] = []
    for k, part in enumerate(plan.parts):
        if part.condition is None:
            columns.append(f"1 AS c{k}")
            continue
        sql, cond_params = condition_sql(Person, rules.person_condition(part.condition, plan.as_of))
        present = f"{p}.{_q('id')} IS NOT NULL"
        columns.append(f"SUM(CASE WHEN {present} AND ({sql}) THEN 1 ELSE 0 END) AS c{k}")
        params += cond_params
    # An active KPM since before the cycle ended (one decreed later is paid from its next).
    since = Q(enrolled_on__isnull=True) | Q(enrolled_on__lte=plan.period_end)
    kpm_sql, kpm_params = condition_sql(
        Enrolment,
        Q(programme_id=plan.programme_id, status="aktif") & since & _inside("area_code", plan.area),
    )
    family_sql, family_params = condition_sql(
        Household, Q(status="active") & _inside("village", plan.area)
    )
    joins = f"INNER JOIN {h} ON ({h}.{_q('id')} = {e}.{_q('household_id')})"
    join_params: list[Any] = []
    if reads_people:
        joins += (
            f" LEFT OUTER JOIN {p} ON ({p}.{_q('household_id')} = {e}.{_q('household_id')} "
            f"AND {p}.{_q('status')} = %s)"
        )
        join_params.append("active")
    sql = f"SELECT {', '.join(columns)} FROM {e} {joins} WHERE ({kpm_sql}) AND ({family_sql})"  # noqa: S608 - names and compiled SQL only
    if reads_people:
        sql += f" GROUP BY {e}.{_q('id')}"
    return sql, [*params, *join_params, *kpm_params, *family_params]


def _reads_people(plan: Plan) -> bool:
    return any(part.condition is not None for part in plan.parts)


def _inside(field_name: str, area: str) -> Q:
    return Q(**{f"{field_name}__prefix": area}) if area else Q()


def calc_sql(plan: Plan) -> tuple[str, list]:
    """Per KPM: ``a{k}`` members kept, ``m{k}`` their amount, ``total`` (before the family's
    amount cap), over :func:`counts_sql`."""
    inner, params = counts_sql(plan)
    n = len(plan.parts)
    keys = "t.eid, t.hid, t.rid, t.vid, t.acct"
    limited = [
        _min(f"t.c{k}", part.max_count) if part.max_count is not None else f"t.c{k}"
        for k, part in enumerate(plan.parts)
    ]
    level_u = f"SELECT {keys}, " + ", ".join(f"{x} AS l{k}" for k, x in enumerate(limited))
    level_u += f" FROM ({inner}) t"
    if plan.cap_members is not None:
        kept = []
        for k in range(n):
            upto = "(" + " + ".join(f"u.l{j}" for j in range(k + 1)) + ")"
            before = "(" + " + ".join(f"u.l{j}" for j in range(k)) + ")" if k else "0"
            now_ = _min(upto, plan.cap_members)
            then = _min(before, plan.cap_members) if k else "0"
            kept.append(f"(({now_}) - ({then}))")
    else:
        kept = [f"u.l{k}" for k in range(n)]
    level_v = "SELECT u.eid AS eid, u.hid AS hid, u.rid AS rid, u.vid AS vid, u.acct AS acct, "
    level_v += ", ".join(f"{x} AS a{k}" for k, x in enumerate(kept))
    level_v += f" FROM ({level_u}) u"
    money = [f"v.a{k} * {int(part.rate)}" for k, part in enumerate(plan.parts)]
    level_w = "SELECT v.eid AS eid, v.hid AS hid, v.rid AS rid, v.vid AS vid, v.acct AS acct, "
    level_w += ", ".join(f"v.a{k} AS a{k}" for k in range(n)) + ", "
    level_w += ", ".join(f"{x} AS m{k}" for k, x in enumerate(money))
    level_w += ", (" + " + ".join(money) + ") AS total"
    level_w += f" FROM ({level_v}) v"
    return level_w, params


def _components_json(plan: Plan) -> tuple[str, list]:
    """``{"SD": [members, amount], ...}`` of the components that kept someone."""
    params: list[Any] = []
    if connection.vendor == "postgresql":
        # Written as text and parsed once: building it with jsonb_build_object and stripping
        # the nulls cost four times as much over 250,000 rows. Each key is a JSON string
        # made here (json.dumps), the values are integers; concat_ws skips the NULLs.
        pieces = []
        for k, part in enumerate(plan.parts):
            pieces.append(
                f"CASE WHEN w.a{k} > 0 THEN %s || CAST(w.a{k} AS TEXT) || ',' || "
                f"CAST(w.m{k} AS TEXT) || ']' END"
            )
            params.append(json.dumps(part.code) + ":[")
        return f"CAST('{{' || concat_ws(',', {', '.join(pieces)}) || '}}' AS jsonb)", params
    pairs = []
    for k, part in enumerate(plan.parts):
        pairs.append(f"%s, CASE WHEN w.a{k} > 0 THEN json_array(w.a{k}, w.m{k}) END")
        params.append(part.code)
    # A JSON merge patch drops the members whose value is null.
    return f"json_patch('{{}}', json_object({', '.join(pairs)}))", params


def _uid_sql() -> str:
    """Public ids in time order (like a UUIDv7: the computation's start in microseconds plus
    the row's number, then 64 random bits), so the unique index grows at its end instead of
    at 250,000 random places."""
    row = "ROW_NUMBER() OVER (ORDER BY w.eid)"
    if connection.vendor == "postgresql":
        random_hex = "replace(gen_random_uuid()::text, '-', '')"
        return (
            f"overlay({random_hex} placing lpad(to_hex(%s + {row}), 16, '0') from 1 for 16)::uuid"
        )
    # Django keeps a UUID as 32 hex digits on SQLite
    return f"printf('%%016x', %s + {row}) || lower(hex(randomblob(8)))"


def _channel_sql(plan: Plan, joined: bool) -> tuple[str, list]:
    if plan.channel != ChannelRule.AUTO:
        return "%s", [plan.channel]
    if joined:  # no members were read: the recipient's row is joined
        account = f"r.{_q('bank_account')}"
        return f"CASE WHEN {account} IS NOT NULL AND {account} <> '' THEN %s ELSE %s END", [
            "bank",
            "pos",
        ]
    return "CASE WHEN w.acct = 1 THEN %s ELSE %s END", ["bank", "pos"]


COLUMNS = (
    "uid", "cycle_id", "household_id", "enrolment_id", "recipient_id", "area_code", "channel",
    "amount", "components", "capped", "status", "account_bank", "account_number",
    "account_name", "note",
)  # fmt: skip


def roomy() -> None:
    """PostgreSQL: memory for this transaction's sorts, hash joins and aggregates over 250,000
    KPM (the default 4 MB makes them spill to disk); ``SET LOCAL`` ends with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")


def execute(plan: Plan, scratch: str) -> dict:
    """Write the cycle's entitlements (the cycle's old ones must be gone) and return the
    figures: KPM counted, entitled, owed nothing, capped, and per component the members kept
    and their amount."""
    from pandu.registry.models import Person

    from .models import Entitlement

    calc, params = calc_sql(plan)
    table = _q(scratch)
    total = "w.total"
    if plan.cap_amount is not None:
        amount = _min(total, plan.cap_amount)
        capped = f"({total} > {int(plan.cap_amount)})"
    else:
        amount, capped = total, "(1 = 0)"
    json_sql, json_params = _components_json(plan)
    joined = not _reads_people(plan)
    channel_sql, channel_params = _channel_sql(plan, joined)
    started = int(time.time() * 1_000_000)
    picked = (
        f"{_uid_sql()}, %s, w.hid, w.eid, w.rid, w.vid, {channel_sql}, {amount}, {json_sql}, "
        f"{capped}, %s, '', '', '', ''"
    )
    picked_params = [started, plan.cycle_id, *channel_params, *json_params, EntitlementStatus.DRAFT]
    person = _q(Person._meta.db_table)
    join = f"LEFT OUTER JOIN {person} r ON (r.{_q('id')} = w.rid) " if joined else ""
    insert = (
        f"INSERT INTO {_q(Entitlement._meta.db_table)} "  # noqa: S608 - names are ours
        f"({', '.join(_q(c) for c in COLUMNS)}) SELECT {picked} FROM {table} w "
        f"{join}WHERE w.total > 0 ORDER BY w.eid"
    )
    n = len(plan.parts)
    sums = ", ".join(f"SUM(a{k}), SUM(m{k})" for k in range(n))
    roomy()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {calc}", params)
        try:
            cursor.execute(insert, picked_params)
            entitled = cursor.rowcount
            cursor.execute(
                f"SELECT COUNT(*), SUM(CASE WHEN total > 0 THEN 0 ELSE 1 END), {sums} "  # noqa: S608
                f"FROM {table}"
            )
            row = cursor.fetchone()
            capped_count = 0
            if plan.cap_amount is not None:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE total > %s",  # noqa: S608
                    [plan.cap_amount],
                )
                capped_count = cursor.fetchone()[0]
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    counted = int(row[0] or 0)
    components = {
        part.code: {
            "members": int(row[2 + 2 * k] or 0),
            "amount": int(row[3 + 2 * k] or 0),
            "rate": part.rate,
        }
        for k, part in enumerate(plan.parts)
    }
    return {
        "counted": counted,
        "entitled": entitled,
        "owed_nothing": int(row[1] or 0),
        "capped": int(capped_count),
        "components": components,
        "as_of": plan.as_of.isoformat(),
    }


# --- The slow reference ---------------------------------------------------------------------


def reference(plan: Plan, members: list[dict]) -> tuple[int, dict[str, list[int]], bool]:
    """One family's entitlement in Python, from its active members' facts (as
    ``targeting.explain.facts_for`` gives them): the amount, ``{code: [kept, amount]}`` of the
    components that kept someone, and whether the amount cap bit. The tests hold the SQL to
    it."""
    limited = []
    for part in plan.parts:
        if part.condition is None:
            count = 1
        else:
            count = sum(1 for m in members if rules.person_matches(part.condition, m))
        if part.max_count is not None:
            count = min(count, part.max_count)
        limited.append(count)
    kept = []
    used = 0
    for count in limited:
        take = count if plan.cap_members is None else max(0, min(count, plan.cap_members - used))
        kept.append(take)
        used += take
    out = {}
    total = 0
    for part, take in zip(plan.parts, kept, strict=True):
        if take:
            out[part.code] = [take, take * part.rate]
            total += take * part.rate
    capped = plan.cap_amount is not None and total > plan.cap_amount
    if capped:
        assert plan.cap_amount is not None
        total = plan.cap_amount
    return total, out, capped
