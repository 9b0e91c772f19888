"""What an item proposes, stored as JSON, and how it reads back: field values, the people a
verifier must account for, and the fields whose current value may have moved on.

Payload shapes by kind:
  household_new     {"household": {field: value}, "members": [{field: value}, ...]}
  member_new        {"member": {field: value}}
  person_change     {"changes": {field: value}}          (item.person)
  household_change  {"changes": {field: value}}          (item.household)
  move              {"changes": {"village", "rt", "rw", "address"}}  (item.household)
  death             {"date": "YYYY-MM-DD"}               (item.person)
  ppks              {"category": number, "identified_on": "YYYY-MM-DD", "note": str}
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pandu.regions.models import Area
from pandu.registry import choices as c
from pandu.registry.actions import HOUSEHOLD_FIELDS, PERSON_FIELDS
from pandu.registry.models import Household, Person
from pandu.registry.validation import mask_account

from .models import ItemKind, MemberResult, ProposalItem

# Fields a proposal may change. The welfare rank (desil) comes from the ranking, not from a
# village meeting; the village is changed by a move, which may be a handover.
PERSON_CHANGE_FIELDS = frozenset(PERSON_FIELDS | {"nik"}) - {"merged_into"}
HOUSEHOLD_CHANGE_FIELDS = frozenset(
    HOUSEHOLD_FIELDS - {"desil", "desil_source", "desil_reference", "breadwinner"}
)
MOVE_FIELDS = ("village", "rt", "rw", "address")

# The results that support an item's claim, for items about one person.
SUPPORTING = {
    ItemKind.DEATH: {MemberResult.DECEASED, MemberResult.CONFIRMED},
}
DEFAULT_SUPPORTING = {MemberResult.CONFIRMED}

WARNING_LABELS = {
    "inter_regency": _(
        "Pindah ke kabupaten/kota lain: setelah disetujui, Dinas Sosial daerah tujuan harus "
        "menerima serah terima keluarga ini."
    ),
    "pending_conflict": _("Ada usulan lain yang belum selesai untuk orang/keluarga yang sama."),
}


def to_json(value: Any) -> Any:
    """A form's or an API's value as JSON: dates as ISO text, areas by code, records by uid."""
    if isinstance(value, Area):
        return value.code
    if isinstance(value, models.Model):
        return str(getattr(value, "uid", value.pk))
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def encode(data: dict[str, Any]) -> dict[str, Any]:
    return {k: to_json(v) for k, v in data.items()}


def decode(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """JSON back into what the registry actions take (dates as ``date``)."""
    out = {}
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except Exception:
            out[name] = value
            continue
        if isinstance(field, models.DateField) and isinstance(value, str) and value:
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        out[name] = value
    return out


def current_value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname)
    return to_json(getattr(obj, name))


def date_text(value: Any) -> str:
    """ISO text as dd-mm-yyyy."""
    if not value:
        return "—"
    try:
        return date_format(date.fromisoformat(str(value)), "d-m-Y")
    except ValueError:
        return str(value)


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]
    except Exception:
        return name


def display(model: type[models.Model], name: str, value: Any) -> str:
    """A stored value as an operator reads it: choice labels, dd-mm-yyyy, village names."""
    if value in (None, "", [], {}):
        return "—"
    try:
        field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if isinstance(field, models.ForeignKey) and field.related_model is Area:
        area = Area.objects.filter(code=value).first()
        return f"{area.name} ({area.code})" if area else str(value)
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if name == "assets":
        labels = dict(c.Asset.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name == "cards":
        labels = dict(c.Card.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name == "bank_account":
        return mask_account(value)
    if name == "livestock" and isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
    if isinstance(field, models.DateField):
        return date_text(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def target_model(item: ProposalItem) -> type[models.Model]:
    if item.kind in (ItemKind.PERSON_CHANGE, ItemKind.DEATH, ItemKind.MEMBER_NEW):
        return Person
    if item.kind == ItemKind.PPKS and item.person_id:
        return Person
    return Household


def proposed_fields(item: ProposalItem) -> dict[str, Any]:
    """The fields an item sets on an existing record, with the proposed values (JSON)."""
    if item.kind in (ItemKind.PERSON_CHANGE, ItemKind.HOUSEHOLD_CHANGE, ItemKind.MOVE):
        return dict(item.payload.get("changes", {}))
    if item.kind == ItemKind.DEATH:
        return {"status": c.PersonStatus.DECEASED.value}
    return {}


def target(item: ProposalItem) -> models.Model | None:
    return item.person if target_model(item) is Person and item.person_id else item.household


@dataclass(frozen=True)
class Subject:
    """Someone the verifier must account for after the visit."""

    key: str
    name: str
    detail: str = ""


def _masked(nik: str) -> str:
    return f"{nik[:4]}{'*' * 8}{nik[12:]}" if len(nik or "") == 16 else "****"


def verification_subjects(item: ProposalItem) -> list[Subject]:
    """New members by their position in the payload; existing people by their uid."""
    rel = dict(c.Relationship.choices)
    if item.kind == ItemKind.HOUSEHOLD_NEW:
        return [
            Subject(str(i), m.get("full_name", ""), str(rel.get(m.get("relationship"), "")))
            for i, m in enumerate(item.payload.get("members", []))
        ]
    if item.kind == ItemKind.MEMBER_NEW:
        m = item.payload.get("member", {})
        return [Subject("0", m.get("full_name", ""), str(rel.get(m.get("relationship"), "")))]
    if item.person_id:
        p = item.person
        assert p is not None
        return [Subject(str(p.uid), p.full_name, p.get_relationship_display())]
    if item.household_id:
        members = Person.objects.filter(
            household_id=item.household_id, status=c.PersonStatus.ACTIVE
        ).order_by("relationship", "birth_date", "id")
        return [Subject(str(p.uid), p.full_name, p.get_relationship_display()) for p in members]
    return []


def is_person_level(item: ProposalItem) -> bool:
    return item.kind in (ItemKind.MEMBER_NEW, ItemKind.PERSON_CHANGE, ItemKind.DEATH) or (
        item.kind == ItemKind.PPKS and bool(item.person_id)
    )


def supporting_results(item: ProposalItem) -> set[str]:
    return {str(r) for r in SUPPORTING.get(ItemKind(item.kind), DEFAULT_SUPPORTING)}


def field_rows(item: ProposalItem) -> list[dict[str, str]]:
    """Label and proposed value of each field, for screens and the decision list."""
    if item.kind == ItemKind.HOUSEHOLD_NEW:
        hh = item.payload.get("household", {})
        return [
            {"label": field_label(Household, k), "value": display(Household, k, v)}
            for k, v in hh.items()
            if v not in (None, "", [], False)
        ]
    if item.kind == ItemKind.MEMBER_NEW:
        m = item.payload.get("member", {})
        return [
            {"label": field_label(Person, k), "value": display(Person, k, v)}
            for k, v in m.items()
            if v not in (None, "", [], False) and k != "nik"
        ]
    if item.kind == ItemKind.DEATH:
        return [
            {
                "label": str(_("Tanggal meninggal")),
                "value": date_text(item.payload.get("date")),
            }
        ]
    if item.kind == ItemKind.PPKS:
        from pandu.registry.models import PPKSCategory

        cat = PPKSCategory.objects.filter(number=item.payload.get("category")).first()
        return [
            {"label": str(_("PPKS")), "value": str(cat) if cat else "—"},
            {
                "label": str(_("Tanggal")),
                "value": date_text(item.payload.get("identified_on")),
            },
            {"label": str(_("Catatan")), "value": item.payload.get("note") or "—"},
        ]
    model = target_model(item)
    rows = []
    for k, v in proposed_fields(item).items():
        rows.append(
            {
                "label": field_label(model, k),
                "before": display(model, k, item.snapshot.get(k)),
                "value": display(model, k, v),
            }
        )
    return rows


def member_rows(item: ProposalItem) -> list[dict[str, Any]]:
    """New members of a household_new item, for the screens (NIK masked)."""
    if item.kind == ItemKind.HOUSEHOLD_NEW:
        members = item.payload.get("members", [])
    elif item.kind == ItemKind.MEMBER_NEW:
        members = [item.payload.get("member", {})]
    else:
        return []
    rel = dict(c.Relationship.choices)
    sex = dict(c.Sex.choices)
    results = item.member_results or {}
    rows = []
    for i, m in enumerate(members):
        r = results.get(str(i), {})
        rows.append(
            {
                "key": str(i),
                "name": m.get("full_name", ""),
                "nik": m.get("nik", ""),
                "masked_nik": _masked(m.get("nik", "")),
                "relationship": rel.get(m.get("relationship"), ""),
                "sex": sex.get(m.get("sex"), ""),
                "birth_date": date_text(m.get("birth_date")),
                "result": r.get("result", ""),
                "result_label": dict(MemberResult.choices).get(r.get("result", ""), ""),
                "note": r.get("note", ""),
            }
        )
    return rows
