"""One family's rule, judged in Python: the slow reference the set-based run is tested against,
and the explanation of one family's result (split from :mod:`.rules`, which re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import rules as _rules

# --- One family, in Python: the reference and the explanation ----------------------------------


@dataclass
class Facts:
    """What the rules read of one family: its row and its active members (age on the day)."""

    household: dict
    members: list[dict]
    household_ppks: set[int]
    programmes: set[str] = field(default_factory=set)


def _cmp(actual, op: str, value) -> bool:
    if actual is None:
        return False
    if op == "eq":
        return actual == value
    if op == "ne":
        return actual != value
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "between":
        return value[0] <= actual <= value[1]
    return {
        "lt": actual < value,
        "lte": actual <= value,
        "gt": actual > value,
        "gte": actual >= value,
    }[op]


def _person_value(spec: _rules.Field, person: dict):
    if spec.name == "disability":
        return person["disability_type"] != 0
    if spec.kind == "age":
        return person["age"]
    return person.get(spec.column)


def _person_matches(cond: dict, person: dict) -> bool:
    spec = _rules.fields()[cond["field"]]
    op: str = cond["op"]
    value: Any = cond.get("value")
    if spec.kind == "ppks":
        numbers = set(value if isinstance(value, list) else [value])
        if op == "between":
            numbers = set(range(value[0], value[1] + 1))
        has = bool(person["ppks"] & numbers)
        return has if op in ("eq", "in", "between") else not has
    if spec.name == "disability":
        has = person["disability_type"] != 0
        return has == (value if op == "eq" else not value)
    return _cmp(_person_value(spec, person), op, value)


def _person_tree(node: dict, person: dict) -> bool:
    if "field" in node:
        return _person_matches(node, person)
    if "all" in node:
        return all(_person_tree(sub, person) for sub in node["all"])
    if "any" in node:
        return any(_person_tree(sub, person) for sub in node["any"])
    return not _person_tree(node["not"], person)


def household_value(spec: _rules.Field, facts: Facts):
    """The value a household field has for this family (what the explanation shows)."""
    if spec.member_condition is not None:
        return any(_person_matches(spec.member_condition, m) for m in facts.members)
    if spec.name == "household_size":
        return len(facts.members)
    if spec.kind == "area":
        return facts.household["village_id"]
    if spec.kind == "programme":
        return sorted(facts.programmes)
    return facts.household.get(spec.column)


def _household_matches(cond: dict, facts: Facts) -> bool:
    spec = _rules.fields()[cond["field"]]
    op: str = cond["op"]
    value: Any = cond.get("value")
    if spec.level == "person":
        if spec.kind == "ppks":
            numbers = set(value if isinstance(value, list) else [value])
            if op == "between":
                numbers = set(range(value[0], value[1] + 1))
            has = bool(facts.household_ppks & numbers) or any(
                m["ppks"] & numbers for m in facts.members
            )
            return has if op in ("eq", "in", "between") else not has
        return any(_person_matches(cond, m) for m in facts.members)
    if spec.member_condition is not None:
        has = household_value(spec, facts)
        return has == (value if op == "eq" else not value)
    if spec.kind == "area":
        codes = value if isinstance(value, list) else [value]
        village = facts.household["village_id"]
        inside = any(village == c or village.startswith(c + ".") for c in codes)
        return inside if op in ("eq", "in") else not inside
    if spec.kind == "programme":
        wanted = set(value if isinstance(value, list) else [value])
        inside = bool(facts.programmes & wanted)
        return inside if op in ("eq", "in") else not inside
    return _cmp(household_value(spec, facts), op, value)


def evaluate(node: dict, facts: Facts) -> bool:
    """The rule's answer for one family, computed in Python."""
    if "field" in node:
        return _household_matches(node, facts)
    if "all" in node:
        return all(evaluate(sub, facts) for sub in node["all"])
    if "any" in node:
        return any(evaluate(sub, facts) for sub in node["any"])
    if "member" in node:
        return any(_person_tree(node["member"], m) for m in facts.members)
    return not evaluate(node["not"], facts)


def describe(node: dict) -> str:
    """A rule part in words, for reasons and explanations: ``umur ≥ 70``."""
    symbols = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}
    if "field" in node:
        spec = _rules.fields().get(node["field"])
        label = spec.label if spec else node["field"]
        op: str = node["op"]
        value: Any = node.get("value")
        shown = _rules._show(value)
        if op in symbols:
            return f"{label} {symbols[op]} {shown}"
        if op == "between":
            return f"{label} {value[0]}–{value[1]}"
        return f"{label} {'∈' if op == 'in' else '∉'} {shown}"
    if "all" in node:
        return "(" + _(" dan ").join(describe(s) for s in node["all"]) + ")"
    if "any" in node:
        return "(" + _(" atau ").join(describe(s) for s in node["any"]) + ")"
    if "member" in node:
        return _("ada anggota dengan %(rule)s") % {"rule": describe(node["member"])}
    return _("bukan %(rule)s") % {"rule": describe(node["not"])}
