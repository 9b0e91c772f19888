"""Eligibility rules: a declarative tree over registry fields, compiled to one SQL condition.

A rule set is JSON: a node is a group ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": node}``,
``{"member": node}`` (one active member of the family satisfies the whole node) or a condition
``{"field": ..., "op": ..., "value": ...}``. Household fields describe the family; person fields
(``age``, ``sex``, ``pregnant``, ...) used outside a ``member`` group mean "some active member".
The same tree is compiled to a ``Q`` over households (:func:`compile_rule`, for the set-based run)
and evaluated on one family's facts (:func:`evaluate`, for explanations and as the slow
reference the property tests hold the SQL to). A comparison with a missing value is false;
``not`` turns it true.

Membership of other programmes is a field like any other whose values come from a provider that
the programme app registers with :func:`register_membership` (enrolment lives there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

OPS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "between")
ORDERED = ("lt", "lte", "gt", "gte", "between")
GROUPS = ("all", "any", "not", "member")
MAX_DEPTH = 8
MAX_CONDITIONS = 60


class RuleError(ValueError):
    """A rule that cannot be run: the messages name the place and the field or value."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Field:
    """A field a condition may name: where it lives and which values are possible."""

    name: str
    label: str
    level: str  # "household" or "person"
    kind: str  # "int", "bool", "choice", "area", "ppks", "age", "programme"
    column: str = ""  # model field, for "int"/"bool"/"choice"
    lo: int | None = None
    hi: int | None = None
    choices: tuple = ()
    # Composition shortcuts: a person-level condition that makes the household field true.
    member_condition: dict | None = None


def _choices(model_field: str, level: str) -> tuple:
    from pandu.registry.models import Household, Person

    model = Household if level == "household" else Person
    found: Any = model._meta.get_field(model_field)
    return tuple(value for value, _label in found.choices or ())


def _choice(name, label, level, column=None) -> Field:
    column = column or name
    return Field(name, label, level, "choice", column, choices=_choices(column, level))


def _catalogue() -> dict[str, Field]:
    h, p = "household", "person"
    fields = [
        Field("desil", "desil kesejahteraan", h, "int", "desil", 1, 10),
        Field("area", "wilayah", h, "area"),
        Field("household_size", "jumlah anggota keluarga aktif", h, "int", "", 0, 100),
        Field("floor_area", "luas lantai (m²)", h, "int", "floor_area", 0, 10000),
        Field("bedrooms", "jumlah kamar tidur", h, "int", "bedrooms", 0, 50),
        Field("has_business", "memiliki usaha", h, "bool", "has_business"),
        _choice("ownership", "status kepemilikan bangunan", h),
        _choice("floor_material", "jenis lantai", h),
        _choice("wall_material", "jenis dinding", h),
        _choice("roof_material", "jenis atap", h),
        _choice("water_source", "sumber air minum", h),
        _choice("lighting", "sumber penerangan", h),
        _choice("cooking_fuel", "bahan bakar memasak", h),
        _choice("toilet_use", "fasilitas BAB", h),
        Field(
            "has_child_0_6",
            "ada anak usia 0–6",
            h,
            "bool",
            member_condition={"field": "age", "op": "between", "value": [0, 6]},
        ),
        Field(
            "has_pregnant_member",
            "ada anggota yang hamil",
            h,
            "bool",
            member_condition={"field": "pregnant", "op": "eq", "value": True},
        ),
        Field(
            "has_member_70_plus",
            "ada anggota usia 70+",
            h,
            "bool",
            member_condition={"field": "age", "op": "gte", "value": 70},
        ),
        Field(
            "has_disabled_member",
            "ada anggota penyandang disabilitas",
            h,
            "bool",
            member_condition={"field": "disability", "op": "eq", "value": True},
        ),
        Field("programme", "peserta program lain", h, "programme"),
        # Person fields
        Field("age", "umur", p, "age", "", 0, 130),
        _choice("sex", "jenis kelamin", p),
        Field("pregnant", "sedang hamil", p, "bool", "pregnant"),
        Field("disability", "penyandang disabilitas", p, "bool", "disability_type"),
        _choice("disability_type", "jenis disabilitas", p),
        _choice("disability_severity", "tingkat disabilitas", p),
        _choice("chronic_illness", "penyakit kronis", p),
        _choice("relationship", "hubungan dengan kepala keluarga", p),
        _choice("education", "pendidikan tertinggi", p),
        _choice("school_participation", "partisipasi sekolah", p),
        _choice("school_level", "jenjang sekolah saat ini", p),
        _choice("work_status", "status pekerjaan", p),
        Field("worked_last_week", "bekerja seminggu terakhir", p, "bool", "worked_last_week"),
        Field("ppks", "kategori PPKS", p, "ppks", "", 1, 26),
    ]
    return {f.name: f for f in fields}


_FIELDS: dict[str, Field] | None = None


def fields() -> dict[str, Field]:
    global _FIELDS
    if _FIELDS is None:
        _FIELDS = _catalogue()
    return _FIELDS


# --- Programme membership: the extension point -------------------------------------------------

#: code → (households enrolled, as a queryset of household ids; the codes a household is in)
MembershipSource = tuple[Callable[[str], QuerySet], Callable[[Any], set[str]]]
_membership: list[MembershipSource] = []


def register_membership(households_in: Callable[[str], QuerySet], codes_of: Callable) -> None:
    """Programme enrolment tells the rules who is in a programme: ``households_in(code)`` gives
    the ids of the households enrolled in it, ``codes_of(household)`` a household's codes."""
    source = (households_in, codes_of)
    if source not in _membership:
        _membership.append(source)


# --- Validation -------------------------------------------------------------------------------


def _where(path: str) -> str:
    return path or _("aturan")


def validate(rule: Any) -> dict:
    """The rule if it can be run; else :class:`RuleError` naming every problem."""
    errors: list[str] = []
    count = [0]
    _check(rule, "", errors, depth=0, in_member=False, count=count)
    if count[0] > MAX_CONDITIONS:
        errors.append(_("Terlalu banyak kondisi (%(n)d; paling banyak %(max)d).") % {
            "n": count[0], "max": MAX_CONDITIONS})  # fmt: skip
    if errors:
        raise RuleError(errors)
    return rule


def _check(node, path, errors, *, depth, in_member, count) -> None:
    if depth > MAX_DEPTH:
        errors.append(_("%(where)s: aturan terlalu dalam bersarang.") % {"where": _where(path)})
        return
    if not isinstance(node, dict):
        errors.append(
            _("%(where)s: harus berupa objek JSON (grup atau kondisi).") % {"where": _where(path)}
        )
        return
    groups = [k for k in GROUPS if k in node]
    if groups:
        key = groups[0]
        extra = set(node) - {key}
        if extra or len(groups) > 1:
            errors.append(
                _("%(where)s: grup '%(group)s' tidak boleh disertai kunci lain (%(keys)s).")
                % {"where": _where(path), "group": key, "keys": ", ".join(sorted(extra))}
            )
        child = node[key]
        if key in ("all", "any"):
            if not isinstance(child, list) or not child:
                errors.append(
                    _("%(where)s: grup '%(group)s' harus berisi daftar kondisi yang tidak kosong.")
                    % {"where": _where(path), "group": key}
                )
                return
            for i, sub in enumerate(child):
                _check(sub, f"{path}.{key}[{i}]".lstrip("."), errors, depth=depth + 1,
                       in_member=in_member, count=count)  # fmt: skip
        else:
            if key == "member" and in_member:
                errors.append(
                    _("%(where)s: grup 'member' tidak boleh di dalam grup 'member'.")
                    % {"where": _where(path)}
                )
                return
            _check(child, f"{path}.{key}".lstrip("."), errors, depth=depth + 1,
                   in_member=in_member or key == "member", count=count)  # fmt: skip
        return
    count[0] += 1
    _check_condition(node, path, errors, in_member)


def _check_condition(node: dict, path: str, errors: list[str], in_member: bool) -> None:
    where = _where(path)
    unknown_keys = set(node) - {"field", "op", "value"}
    if unknown_keys or "field" not in node or "op" not in node:
        errors.append(
            _(
                '%(where)s: sebuah kondisi ditulis {"field": ..., "op": ..., "value": ...} '
                "atau sebuah grup all/any/not/member."
            )
            % {"where": where}
        )
        return
    name, op = node["field"], node["op"]
    value: Any = node.get("value")
    spec = fields().get(name) if isinstance(name, str) else None
    if spec is None:
        errors.append(
            _("%(where)s: kolom '%(field)s' tidak dikenal. Kolom yang tersedia: %(known)s.")
            % {"where": where, "field": name, "known": ", ".join(sorted(fields()))}
        )
        return
    if in_member and spec.level == "household":
        errors.append(
            _("%(where)s: kolom '%(field)s' milik keluarga, tidak dapat dipakai di grup 'member'.")
            % {"where": where, "field": name}
        )
        return
    if op not in OPS:
        errors.append(
            _("%(where)s: operator '%(op)s' tidak dikenal untuk '%(field)s'. Pilih: %(ops)s.")
            % {"where": where, "op": op, "field": name, "ops": ", ".join(OPS)}
        )
        return
    if op in ORDERED and spec.kind not in ("int", "age"):
        errors.append(
            _("%(where)s: '%(field)s' tidak dapat dibandingkan dengan '%(op)s'.")
            % {"where": where, "field": name, "op": op}
        )
        return
    if spec.kind == "programme" and not _membership:
        errors.append(
            _(
                "%(where)s: data kepesertaan program belum tersedia, kolom 'programme' belum "
                "dapat dipakai."
            )
            % {"where": where}
        )
        return
    for message in _value_problems(spec, op, value):
        errors.append(
            _("%(where)s: nilai %(value)s untuk '%(field)s' tidak mungkin: %(why)s")
            % {"where": where, "value": _show(value), "field": name, "why": message}
        )


def _show(value) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _values_of(op: str, value) -> tuple[list, list[str]]:
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return [], [_("operator '%(op)s' memerlukan daftar nilai.") % {"op": op}]
        return list(value), []
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            return [], [_("operator 'between' memerlukan dua angka [dari, sampai].")]
        return list(value), []
    return [value], []


def _value_problems(spec: Field, op: str, value) -> list[str]:
    values, problems = _values_of(op, value)
    if problems:
        return problems
    for v in values:
        if spec.kind in ("int", "age", "ppks"):
            if isinstance(v, bool) or not isinstance(v, int):
                problems.append(_("harus bilangan bulat."))
            elif (spec.lo is not None and v < spec.lo) or (spec.hi is not None and v > spec.hi):
                problems.append(
                    _("harus antara %(lo)s dan %(hi)s.") % {"lo": spec.lo, "hi": spec.hi}
                )
        elif spec.kind == "bool":
            if not isinstance(v, bool):
                problems.append(_("harus true atau false."))
        elif spec.kind == "choice":
            if v not in spec.choices:
                problems.append(
                    _("pilihan yang ada: %(choices)s.")
                    % {"choices": ", ".join(str(c) for c in spec.choices)}
                )
        elif spec.kind == "area":
            if not isinstance(v, str) or not _area_exists(v):
                problems.append(_("kode wilayah tidak ada dalam daftar wilayah resmi."))
        elif spec.kind == "programme" and (not isinstance(v, str) or not v.strip()):
            problems.append(_("harus kode program."))
    if not problems and op == "between" and values[0] > values[1]:
        problems.append(_("batas bawah lebih besar dari batas atas."))
    if spec.kind in ("bool", "area", "programme", "ppks") and op in ("lt", "lte", "gt", "gte"):
        problems.append(_("tidak dapat dibandingkan lebih/kurang."))
    return sorted(set(problems), key=problems.index)


def _area_exists(code: str) -> bool:
    from pandu.regions.models import Area

    return Area.objects.filter(code=code).exists()


def conditions(rule: dict) -> Iterable[dict]:
    """Every condition of the tree, in order."""
    if "field" in rule:
        yield rule
        return
    for key in GROUPS:
        if key in rule:
            child = rule[key]
            for sub in child if isinstance(child, list) else [child]:
                yield from conditions(sub)


def clauses(rule: dict) -> list[dict]:
    """The top-level parts a decision is explained by: an ``all`` group's items, else the rule."""
    if "all" in rule and isinstance(rule["all"], list):
        return list(rule["all"])
    return [rule]


# --- Age as birth-date bounds -----------------------------------------------------------------


def born_by(as_of: date, years: int) -> date:
    """The last birth date of someone at least ``years`` old on ``as_of``."""
    year = as_of.year - years
    try:
        return as_of.replace(year=year)
    except ValueError:  # 29 February in a year without it
        return date(year, 2, 28)


def _age_q(op: str, value, as_of: date) -> Q:
    def gte(n: int) -> Q:
        return Q(birth_date__lte=born_by(as_of, n))

    if op == "gte":
        return gte(value)
    if op == "gt":
        return gte(value + 1)
    if op == "lt":
        return ~gte(value)
    if op == "lte":
        return ~gte(value + 1)
    if op == "eq":
        return gte(value) & ~gte(value + 1)
    if op == "ne":
        return ~(gte(value) & ~gte(value + 1))
    if op == "between":
        return gte(value[0]) & ~gte(value[1] + 1)
    eq = Q(pk__in=[])
    for v in value:
        eq |= gte(v) & ~gte(v + 1)
    return eq if op == "in" else ~eq


# --- Compiling to SQL ---------------------------------------------------------------------------


@dataclass
class Compiled:
    q: Q
    as_of: date
    needs_size: bool = False
    extra: dict = field(default_factory=dict)
    #: How "some active member satisfies q" is written: by default an ``EXISTS`` over people;
    #: the run passes a function that reads a flag of its one pass over people instead.
    member_flag: Callable[[Q], Q] | None = None


def _cmp_q(column: str, op: str, value, nullable: bool) -> Q:
    if op == "eq":
        return Q(**{column: value})
    if op == "in":
        return Q(**{f"{column}__in": value})
    if op == "between":
        return Q(**{f"{column}__gte": value[0], f"{column}__lte": value[1]})
    if op in ("lt", "lte", "gt", "gte"):
        return Q(**{f"{column}__{op}": value})
    # ne / not_in: a missing value is no answer, so it is not "different" either.
    inner = Q(**{column: value}) if op == "ne" else Q(**{f"{column}__in": value})
    known = Q(**{f"{column}__isnull": False}) if nullable else Q()
    return known & ~inner


def _nullable(spec: Field) -> bool:
    from pandu.registry.models import Household, Person

    if not spec.column:
        return False
    model = Household if spec.level == "household" else Person
    return model._meta.get_field(spec.column).null


def _person_q(cond: dict, as_of: date) -> Q:
    from pandu.registry.models import PPKSAssignment

    spec = fields()[cond["field"]]
    op: str = cond["op"]
    value: Any = cond.get("value")
    if spec.kind == "age":
        return _age_q(op, value, as_of)
    if spec.name == "disability":
        has = ~Q(disability_type=0)
        want = value if op == "eq" else not value
        return has if want else ~has
    if spec.kind == "ppks":
        numbers = value if isinstance(value, list) else [value]
        if op == "between":
            numbers = list(range(value[0], value[1] + 1))
        recorded = Exists(
            PPKSAssignment.objects.filter(
                person=OuterRef("pk"), active=True, category__number__in=numbers
            )
        )
        return Q(recorded) if op in ("eq", "in", "between") else ~Q(recorded)
    return _cmp_q(spec.column, op, value, _nullable(spec))


def validate_person(rule: Any) -> dict:
    """A condition on one person (what a ``member`` group holds): household fields are refused.

    Programme components ("a child in primary school") count the members it matches."""
    try:
        validate({"member": rule})
    except RuleError as exc:
        raise RuleError([_inside_member(m) for m in exc.messages]) from None
    return rule


def _inside_member(message: str) -> str:
    """A message of the wrapping ``member`` group, placed as if the condition stood alone."""
    if message.startswith("member."):
        return message.removeprefix("member.")
    if message.startswith("member:"):
        return _where("") + message.removeprefix("member")
    return message


def person_condition(rule: dict, as_of: date) -> Q:
    """A validated person condition as a ``Q`` over people (ages on ``as_of``)."""
    return _person_tree_q(rule, as_of)


def person_matches(rule: dict, person: dict) -> bool:
    """The person condition for one person's facts (``age`` on the day, ``ppks`` numbers and
    the columns of the condition's fields), in Python: the slow reference."""
    return _person_tree(rule, person)


def _members_exist(q: Q, compiled: Compiled | None = None) -> Q:
    from pandu.registry.models import Person

    if compiled is not None and compiled.member_flag is not None:
        return compiled.member_flag(q)
    return Q(Exists(Person.objects.filter(household=OuterRef("pk"), status="active").filter(q)))


def _person_tree_q(node: dict, as_of: date) -> Q:
    if "field" in node:
        return _person_q(node, as_of)
    if "all" in node:
        out = Q()
        for sub in node["all"]:
            out &= _person_tree_q(sub, as_of)
        return out
    if "any" in node:
        out = Q(pk__in=[])
        for sub in node["any"]:
            out |= _person_tree_q(sub, as_of)
        return out
    return ~_person_tree_q(node["not"], as_of)


def _household_q(cond: dict, compiled: Compiled) -> Q:
    from pandu.registry.models import PPKSAssignment

    spec = fields()[cond["field"]]
    op: str = cond["op"]
    value: Any = cond.get("value")
    if spec.level == "person":
        if spec.kind == "ppks":
            numbers = value if isinstance(value, list) else [value]
            if op == "between":
                numbers = list(range(value[0], value[1] + 1))
            own = Exists(
                PPKSAssignment.objects.filter(
                    household=OuterRef("pk"), active=True, category__number__in=numbers
                )
            )
            member = _members_exist(
                _person_q({**cond, "op": "in", "value": numbers}, compiled.as_of), compiled
            )
            has = Q(own) | member
            return has if op in ("eq", "in", "between") else ~has
        return _members_exist(_person_q(cond, compiled.as_of), compiled)
    if spec.member_condition is not None:
        has = _members_exist(_person_q(spec.member_condition, compiled.as_of), compiled)
        want = value if op == "eq" else not value
        return has if want else ~has
    if spec.kind == "area":
        codes = value if isinstance(value, list) else [value]
        inside = Q(pk__in=[])
        for code in codes:
            inside |= Q(village__prefix=code)
        return inside if op in ("eq", "in") else ~inside
    if spec.kind == "programme":
        codes = value if isinstance(value, list) else [value]
        enrolled = Q(pk__in=[])
        for households_in, _codes_of in _membership:
            for code in codes:
                enrolled |= Q(pk__in=households_in(code))
        return enrolled if op in ("eq", "in") else ~enrolled
    if spec.name == "household_size":
        compiled.needs_size = True
        return _cmp_q("_size", op, value, False)
    return _cmp_q(spec.column, op, value, _nullable(spec))


def _tree_q(node: dict, compiled: Compiled) -> Q:
    if "field" in node:
        return _household_q(node, compiled)
    if "all" in node:
        out = Q()
        for sub in node["all"]:
            out &= _tree_q(sub, compiled)
        return out
    if "any" in node:
        out = Q(pk__in=[])
        for sub in node["any"]:
            out |= _tree_q(sub, compiled)
        return out
    if "member" in node:
        return _members_exist(_person_tree_q(node["member"], compiled.as_of), compiled)
    return ~_tree_q(node["not"], compiled)


def compile_rule(rule: dict, as_of: date, member_flag: Callable[[Q], Q] | None = None) -> Compiled:
    """The rule as one condition on households (``_size`` must be annotated if ``needs_size``).

    ``member_flag(q)``, when given, writes "some active member satisfies ``q``" (else an
    ``EXISTS`` over the family's people)."""
    compiled = Compiled(Q(), as_of, member_flag=member_flag)
    compiled.q = _tree_q(rule, compiled)
    return compiled


def size_annotation():
    """Active members of each household, as a subquery (0 when none)."""
    from django.db.models import Count, IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    from pandu.registry.models import Person

    counted = (
        Person.objects.filter(household=OuterRef("pk"), status="active")
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# One family, in Python (the reference and the explanation) lives in .evaluation.
from .evaluation import (  # noqa: E402, F401 (re-exported)
    Facts,
    _cmp,
    _household_matches,
    _person_matches,
    _person_tree,
    _person_value,
    describe,
    evaluate,
    household_value,
)
