"""PMT (proxy-means test): a model file that estimates a family's welfare from what the registry
records, in the log per-capita consumption form used for DTKS/DTSEN ranking:

    score = intercept + Σ weight × variable

A lower score is a poorer family; ranking the scores within a population gives the desil. The
file's format is documented in docs/targeting.md. Each variable is one SQL expression over
households (:func:`expressions`) and the same value computed in Python for one family
(:func:`values_for`). A variable the registry holds no value for is NULL, never zero: the family
is left unscored and listed with the variables it lacks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Ln
from django.utils.translation import gettext as _

from . import rules

MAX_VARIABLES = 60
TRANSFORMS = ("ln", "ln1p")
#: Household fields a variable may read: numbers and booleans as they are, coded answers with "in".
HOUSEHOLD_SOURCES = (
    "floor_area",
    "bedrooms",
    "has_business",
    "ownership",
    "land_ownership",
    "floor_material",
    "wall_material",
    "wall_condition",
    "roof_material",
    "roof_condition",
    "water_source",
    "lighting",
    "wattage",
    "cooking_fuel",
    "toilet_use",
    "toilet_type",
    "waste_disposal",
)
NUMERIC = ("floor_area", "bedrooms", "has_business", "household_size")
SPECIAL = ("household_size", "members", "head")


class ModelError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Variable:
    name: str
    weight: float
    source: str
    values: tuple = ()  # "in": an indicator of the coded answer
    per_capita: bool = False
    transform: str = ""
    share: bool = False
    where: dict | None = None  # members / head: the condition on a person


@dataclass(frozen=True)
class Model:
    name: str
    version: str
    intercept: float
    variables: tuple[Variable, ...]

    def variable_names(self) -> list[str]:
        return [v.name for v in self.variables]


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse(spec: Any) -> Model:
    """The model file as a :class:`Model`, or :class:`ModelError` naming each problem."""
    errors: list[str] = []
    if not isinstance(spec, dict):
        raise ModelError([_("Model PMT harus berupa objek JSON.")])
    for key in ("name", "version"):
        if not isinstance(spec.get(key), str | int) or not str(spec.get(key)).strip():
            errors.append(_("Model PMT: '%(key)s' wajib diisi.") % {"key": key})
    if not _number(spec.get("intercept")):
        errors.append(_("Model PMT: 'intercept' harus berupa angka."))
    raw = spec.get("variables")
    if not isinstance(raw, list) or not raw:
        errors.append(_("Model PMT: 'variables' harus berupa daftar yang tidak kosong."))
        raw = []
    if len(raw) > MAX_VARIABLES:
        errors.append(_("Model PMT: paling banyak %(n)d variabel.") % {"n": MAX_VARIABLES})
    variables = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"variables[{i}]"
        if not isinstance(item, dict):
            errors.append(_("%(where)s: harus berupa objek.") % {"where": where})
            continue
        name = item.get("name")
        if isinstance(name, str) and name:
            where = f"{where} ({name})"
        if not isinstance(name, str) or not name or name in seen:
            errors.append(_("%(where)s: 'name' wajib dan unik.") % {"where": where})
        seen.add(str(name))
        allowed_keys = {"name", "weight", "source", "in", "per_capita", "transform", "share"}
        allowed_keys |= {"where", "note"}
        extra = set(item) - allowed_keys
        if extra:
            errors.append(
                _("%(where)s: kunci tidak dikenal: %(keys)s.")
                % {"where": where, "keys": ", ".join(sorted(extra))}
            )
        if not _number(item.get("weight")):
            errors.append(_("%(where)s: 'weight' harus berupa angka.") % {"where": where})
        source = item.get("source")
        if source not in HOUSEHOLD_SOURCES and source not in SPECIAL:
            errors.append(
                _("%(where)s: sumber '%(source)s' tidak dikenal. Sumber yang tersedia: %(known)s.")
                % {
                    "where": where,
                    "source": source,
                    "known": ", ".join((*SPECIAL, *HOUSEHOLD_SOURCES)),
                }
            )
            continue
        values = item.get("in")
        transform = item.get("transform", "")
        if transform and transform not in TRANSFORMS:
            errors.append(
                _("%(where)s: transformasi '%(t)s' tidak dikenal (pilih: %(known)s).")
                % {"where": where, "t": transform, "known": ", ".join(TRANSFORMS)}
            )
        per_capita = bool(item.get("per_capita", False))
        condition = item.get("where")
        if source in ("members", "head"):
            if condition is None:
                errors.append(
                    _("%(where)s: sumber '%(source)s' memerlukan kondisi 'where' atas anggota.")
                    % {"where": where, "source": source}
                )
            else:
                try:
                    rules.validate({"member": condition})
                except rules.RuleError as e:
                    errors.extend(f"{where}: {m}" for m in e.messages)
        elif values is not None:
            choices = rules._choices(source, "household") if source != "has_business" else ()
            if not isinstance(values, list) or not values:
                errors.append(_("%(where)s: 'in' harus daftar nilai.") % {"where": where})
            elif choices and any(v not in choices for v in values):
                errors.append(
                    _("%(where)s: nilai %(v)s untuk '%(source)s' tidak mungkin; pilihan: %(c)s.")
                    % {
                        "where": where,
                        "v": rules._show(values),
                        "source": source,
                        "c": ", ".join(str(c) for c in choices),
                    }
                )
        elif source not in NUMERIC:
            errors.append(
                _("%(where)s: '%(source)s' berupa kode jawaban: tulis \"in\": [kode, ...].")
                % {"where": where, "source": source}
            )
        if errors:
            continue
        variables.append(
            Variable(
                name=str(name),
                weight=float(item["weight"]),
                source=source,
                values=tuple(values or ()),
                per_capita=per_capita,
                transform=transform,
                share=bool(item.get("share", False)),
                where=condition,
            )
        )
    if errors:
        raise ModelError(errors)
    return Model(
        name=str(spec["name"]).strip(),
        version=str(spec["version"]).strip(),
        intercept=float(spec["intercept"]),
        variables=tuple(variables),
    )


# --- SQL ------------------------------------------------------------------------------------


def _float(expr):
    return Cast(expr, FloatField())


def person_parts(model: Model, as_of) -> list[tuple[int, str, Q, Q]]:
    """What the model reads of people, for the run's one pass over them: ``(i, kind, q,
    unknown)`` per ``members`` variable (kind ``"count"``: active members satisfying ``q``) and
    per ``head`` variable (kind ``"head"``: whether the head — the first active member with
    relationship 1 — satisfies ``q``; no value when ``unknown`` holds for the head)."""
    parts = []
    for i, var in enumerate(model.variables):
        if var.source not in ("members", "head"):
            continue
        q = rules._person_tree_q(var.where, as_of)  # type: ignore[arg-type,misc]
        unknown = Q(pk__in=[])
        if var.source == "head":
            for cond in rules.conditions(var.where):  # type: ignore[arg-type,misc]
                spec = rules.fields()[cond["field"]]
                if rules._nullable(spec):
                    unknown |= Q(**{f"{spec.column}__isnull": True})
        parts.append((i, "count" if var.source == "members" else "head", q, unknown))
    return parts


def _raw_expression(var: Variable, i: int):
    """The variable's raw value; people's counts and the head's answer are read from the
    annotations ``_pc{i}`` / ``_ph{i}`` that the run fills from its pass over people."""
    if var.source == "household_size":
        return _float(F("_size"))
    if var.source == "members":
        value = _float(F(f"_pc{i}"))
        if var.share:
            value = Case(
                When(_size__gt=0, then=value / _float(F("_size"))),
                default=None,
                output_field=FloatField(),
            )
        return value
    if var.source == "head":
        return F(f"_ph{i}")
    if var.values:
        return Case(
            When(**{f"{var.source}__isnull": True}, then=None),
            When(**{f"{var.source}__in": list(var.values)}, then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    if var.source == "has_business":
        return Case(When(has_business=True, then=Value(1.0)), default=Value(0.0))
    return _float(F(var.source))


def expression(var: Variable, i: int):
    """``(transform, value)``: the ``i``-th variable's value for each household (per capita
    where asked), NULL when the registry holds none; the transform is applied by
    :func:`annotate`."""
    value = _raw_expression(var, i)
    if var.per_capita:
        value = Case(
            When(_size__gt=0, then=value / _float(F("_size"))),
            default=None,
            output_field=FloatField(),
        )
    return var.transform, value


def annotate(qs, model: Model):
    """``qs`` with ``_v0``, ``_v1``... (each variable) and ``_score`` (NULL when one is missing).

    ``qs`` carries ``_size`` and the ``_pc{i}``/``_ph{i}`` of :func:`person_parts`. A transformed
    variable is annotated in two steps (the raw value, then its logarithm) so the
    raw value is written once in the SQL."""
    names = []
    for i, var in enumerate(model.variables):
        transform, value = expression(var, i)
        name = f"_v{i}"
        if transform:
            qs = qs.annotate(**{f"_r{i}": value})
            raw = F(f"_r{i}")
            if transform == "ln":
                value = Case(
                    When(**{f"_r{i}__gt": 0}, then=Ln(raw)), default=None, output_field=FloatField()
                )
            else:
                value = Case(
                    When(**{f"_r{i}__gte": 0}, then=Ln(raw + Value(1.0))),
                    default=None,
                    output_field=FloatField(),
                )
        qs = qs.annotate(**{name: value})
        names.append(name)
    total: Any = Value(model.intercept, output_field=FloatField())
    for i, var in enumerate(model.variables):
        total = total + F(f"_v{i}") * Value(var.weight, output_field=FloatField())
    return qs.annotate(_score=total), names


def missing_mask(model: Model):
    """A number whose bit ``i`` says variable ``i`` has no value."""
    mask: Any = Value(0, output_field=IntegerField())
    for i, _var in enumerate(model.variables):
        mask = mask + Case(
            When(**{f"_v{i}__isnull": True}, then=Value(1 << i)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return mask


def uses_size(model: Model) -> bool:
    return any(v.source == "household_size" or v.per_capita or v.share for v in model.variables)


def missing_names(model: Model, mask: int | None) -> list[str]:
    if not mask:
        return []
    return [v.name for i, v in enumerate(model.variables) if mask & (1 << i)]


# --- One family in Python ---------------------------------------------------------------------


def _raw_value(var: Variable, facts: rules.Facts) -> float | None:
    size = len(facts.members)
    if var.source == "household_size":
        return float(size)
    if var.source == "members":
        n = sum(1 for m in facts.members if rules._person_tree(var.where, m))  # type: ignore[arg-type,misc]
        if var.share:
            return n / size if size else None
        return float(n)
    if var.source == "head":
        heads = [m for m in facts.members if m["relationship"] == 1]
        if not heads:
            return None
        head = sorted(heads, key=lambda m: m["pk"])[0]
        for cond in rules.conditions(var.where):  # type: ignore[arg-type,misc]
            spec = rules.fields()[cond["field"]]
            if rules._nullable(spec) and head.get(spec.column) is None:
                return None
        return 1.0 if rules._person_tree(var.where, head) else 0.0  # type: ignore[arg-type,misc]
    raw = facts.household.get(var.source)
    if raw is None:
        return None
    if var.values:
        return 1.0 if raw in var.values else 0.0
    return float(raw)


def value_for(var: Variable, facts: rules.Facts) -> float | None:
    value = _raw_value(var, facts)
    if value is None:
        return None
    if var.per_capita:
        size = len(facts.members)
        if not size:
            return None
        value = value / size
    if var.transform == "ln":
        return math.log(value) if value > 0 else None
    if var.transform == "ln1p":
        return math.log(value + 1) if value >= 0 else None
    return value


def score_for(model: Model, facts: rules.Facts) -> tuple[float | None, list[tuple[Variable, Any]]]:
    """The family's score and each variable's value (None where the registry has none)."""
    values = [(var, value_for(var, facts)) for var in model.variables]
    if any(v is None for _var, v in values):
        return None, values
    return model.intercept + sum(var.weight * v for var, v in values), values  # type: ignore[operator,misc]
