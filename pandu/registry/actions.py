"""Every change to the registry: validated, scoped to the acting user, in one transaction, and
recorded in the record's history with who, when, before/after and the reason given."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core import versions
from pandu.core.history import stamp
from pandu.organisations.actions import keep_in_step
from pandu.organisations.kinds import for_psks
from pandu.regions.models import Area, Level

from . import choices as c
from . import existence
from .models import (
    Household,
    HouseholdBusiness,
    Membership,
    Person,
    PPKSAssignment,
    PSKSOrganisation,
    PSKSPerson,
)
from .names import search_key
from .validation import (
    check_head,
    check_ppks_rule,
    check_pregnancy,
    clean_bank_account,
    clean_birth_date,
    clean_kk,
    clean_name,
    clean_nik,
    clean_phone,
    quality_flags,
)

HOUSEHOLD_FIELDS = {f.name for f in Household._meta.concrete_fields} - {
    "id",
    "uid",
    "created_at",
    "updated_at",
    "version",
    "kk_number",
    "village",
    "status",
}
PERSON_FIELDS = {f.name for f in Person._meta.concrete_fields} - {
    "id",
    "uid",
    "created_at",
    "updated_at",
    "version",
    "nik",
    "household",
    "area_code",
    "name_key",
    "status",
    "status_date",
    "status_reason",
    "quality_flags",
    "flagged",
    "merged_into",
}


def _require(user, area_code: str, cap: str = Cap.CHANGE_REGISTRY) -> None:
    if not user.can(cap) or not user.in_scope(area_code):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data di wilayah ini."))


def _village(code_or_area) -> Area:
    area: Area | None
    if isinstance(code_or_area, Area):
        area = code_or_area
    else:
        area = Area.objects.filter(code=str(code_or_area or "").strip()).first()
    if area is None:
        raise ValidationError({"village": _("Kode desa/kelurahan tidak dikenal.")})
    if area.level != Level.VILLAGE:
        raise ValidationError(
            {"village": _("Pilih desa/kelurahan, bukan wilayah yang lebih luas.")}
        )
    return area


def _full_clean(obj, exclude=None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _prepare_person(
    data: dict[str, Any], *, existing: Person | None = None
) -> tuple[dict, list[str]]:
    """Validate a person's fields; returns the cleaned values and the data-quality flags."""
    errors: dict[str, list] = {}
    values = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    try:
        values["full_name"] = clean_name(
            data.get("full_name", existing.full_name if existing else "")
        )
    except ValidationError as e:
        errors["full_name"] = e.messages
    birth_date = data.get("birth_date", existing.birth_date if existing else None)
    try:
        values["birth_date"] = clean_birth_date(birth_date)
    except ValidationError as e:
        errors["birth_date"] = e.messages
        birth_date = None
    sex = data.get("sex", existing.sex if existing else None)
    nik = data.get("nik", existing.nik if existing else "")
    flags: list[str] = []
    try:
        values["nik"], result = clean_nik(nik, birth_date=birth_date, sex=sex)
        flags = quality_flags(result)
    except ValidationError as e:
        errors["nik"] = e.messages
    rel = data.get("relationship", existing.relationship if existing else None)
    try:
        check_head(
            rel,
            birth_date,
            data.get("marital_status", existing.marital_status if existing else None),
            data.get("head_reason", existing.head_reason if existing else "") or "",
        )
    except ValidationError as e:
        errors.update(e.message_dict)

    def current(name: str):
        return data.get(name, getattr(existing, name) if existing else None)

    for name, problem in check_pregnancy(
        sex, current("pregnant"), current("pregnancy_months"), current("due_date")
    ).items():
        errors[name] = [problem]
    for name, check in (("phone", clean_phone), ("bank_account", clean_bank_account)):
        if name in values:
            try:
                values[name] = check(values[name])
            except ValidationError as e:
                errors[name] = e.messages
    if errors:
        raise ValidationError(errors)
    return values, flags


def _taken_numbers(
    user, *, kk: Any = None, niks: Sequence[Any] = (), exclude_pk: int | None = None
) -> dict[tuple[str, str], str | None]:
    """Whether the (valid) KK and NIKs are registered, as the refusal to show this user
    (``existence``), asked before the action's transaction: the check is logged, and a log
    row written inside a transaction that a refusal rolls back would be lost."""
    found: dict[tuple[str, str], str | None] = {}
    if kk:
        try:
            number = clean_kk(kk)
        except ValidationError:
            pass  # the action reports it
        else:
            found["kk", number] = existence.kk_error(user, number)
    for raw in niks:
        try:
            number, _result = clean_nik(raw)
        except ValidationError:
            continue
        if ("nik", number) not in found:
            found["nik", number] = existence.nik_error(user, number, exclude_pk=exclude_pk)
    return found


def _refuse_taken_nik(taken: dict[tuple[str, str], str | None], nik: str) -> None:
    """A registered NIK is refused: plainly inside the user's area, neutrally elsewhere."""
    message = taken.get(("nik", nik))
    if message:
        raise ValidationError({"nik": [message]})


def register_household(
    user, *, household: dict[str, Any], members: list[dict[str, Any]], reason: str = ""
) -> Household:
    """A new family card with its members; exactly one head among them."""
    _require(user, _village(household.get("village")).code)
    taken = _taken_numbers(
        user, kk=household.get("kk_number"), niks=[m.get("nik") for m in members]
    )
    with transaction.atomic():
        return _register_household(user, household, members, reason, taken)


def _register_household(
    user, household: dict[str, Any], members: list[dict[str, Any]], reason: str, taken: dict
) -> Household:
    village = _village(household.get("village"))
    _require(user, village.code)
    errors: dict[str, Any] = {}
    try:
        kk = clean_kk(household.get("kk_number"))
        if taken.get(("kk", kk)):
            errors["kk_number"] = [taken["kk", kk]]
    except ValidationError as e:
        errors["kk_number"] = e.messages
        kk = ""
    if not members:
        errors["members"] = [_("Keluarga harus memiliki paling sedikit satu anggota.")]
    heads = [m for m in members if int(m.get("relationship") or 0) == c.Relationship.HEAD]
    if members and len(heads) != 1:
        errors["members"] = [_("Satu keluarga harus memiliki tepat satu kepala keluarga.")]
    member_errors: list[dict] = []
    prepared: list[tuple[dict, list[str]]] = []
    seen: set[str] = set()
    for m in members:
        try:
            values, flags = _prepare_person(m)
            if values["nik"] in seen:
                raise ValidationError({"nik": [_("NIK ini dimasukkan dua kali dalam keluarga.")]})
            seen.add(values["nik"])
            _refuse_taken_nik(taken, values["nik"])
            prepared.append((values, flags))
            member_errors.append({})
        except ValidationError as e:
            member_errors.append(e.message_dict)
    if any(member_errors):
        errors.setdefault("members", [_("Periksa isian anggota keluarga yang ditandai.")])
    hh = Household(kk_number=kk, village=village)
    for k, v in household.items():
        if k in HOUSEHOLD_FIELDS and k != "breadwinner":  # a member once they exist
            setattr(hh, k, v)
    try:
        _full_clean(hh, exclude=["kk_number", "village"])
    except ValidationError as e:
        errors.update(e.message_dict)
    businesses: list[HouseholdBusiness] = []
    try:
        businesses = _businesses(household.get("businesses") or [])
        if businesses:
            hh.has_business = True
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        exc = ValidationError(errors)
        # Per-member field errors, in the order of ``members`` ({} where a member is fine).
        exc.member_errors = member_errors if any(member_errors) else None  # type: ignore[attr-defined]
        raise exc
    stamp(hh, user, reason or _("Pendaftaran keluarga baru"))
    try:
        with transaction.atomic():
            hh.save()
    except IntegrityError:  # registered meanwhile
        raise ValidationError({"kk_number": [existence.kk_taken_message()]}) from None
    for values, flags in prepared:
        _create_person(user, hh, values, flags, reason or _("Pendaftaran keluarga baru"))
    if household.get("businesses"):
        _replace_businesses(user, hh, businesses, reason or _("Pendaftaran keluarga baru"))
    return hh


def _create_person(user, hh: Household, values: dict, flags: list[str], reason: str) -> Person:
    person = Person(household=hh, area_code=hh.village_id, **values)
    person.name_key = search_key(person.full_name)
    person.quality_flags = flags
    person.flagged = bool(flags)
    stamp(person, user, reason)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # registered meanwhile
        raise ValidationError({"nik": [existence.nik_taken_message()]}) from None
    Membership.objects.create(
        person=person,
        household=hh,
        relationship=person.relationship,
        started=date.today(),
        reason=reason,
    )
    return person


def add_member(user, household: Household, data: dict[str, Any], reason: str = "") -> Person:
    """A newborn, a spouse or anyone joining an existing household."""
    _require(user, household.village_id)
    taken = _taken_numbers(user, niks=[data.get("nik")])
    with transaction.atomic():
        return _add_member(user, household, data, reason, taken)


def _add_member(user, household: Household, data: dict[str, Any], reason: str, taken) -> Person:
    values, flags = _prepare_person(data)
    _refuse_taken_nik(taken, values["nik"])
    if values.get("relationship") == c.Relationship.HEAD and household.head() is not None:
        raise ValidationError({"relationship": [_("Keluarga ini sudah memiliki kepala keluarga.")]})
    return _create_person(
        user, household, values, flags, reason or _("Penambahan anggota keluarga")
    )


@transaction.atomic
def update_household(
    user,
    household: Household,
    changes: dict[str, Any],
    reason: str = "",
    *,
    seen: versions.Seen | None = None,
) -> Household:
    """Change what ``changes`` names; ``seen``: the version the user's change is based on (a
    change clashing with someone else's since is a ``VersionConflict``)."""
    _require(user, household.village_id)
    household = versions.lock(household, changes, seen)
    if "village" in changes:
        village = _village(changes["village"])
        _require(user, village.code)
        if village.code != household.village_id:
            _rescope_household(household, village)
    for k, v in changes.items():
        if k in HOUSEHOLD_FIELDS:
            setattr(household, k, v)
    _full_clean(household, exclude=["kk_number"])
    businesses = _businesses(changes["businesses"]) if "businesses" in changes else None
    if businesses is not None:
        household.has_business = bool(businesses)
    stamp(household, user, reason or _("Perubahan data keluarga"))
    household.save()
    if businesses is not None:
        _replace_businesses(user, household, businesses, reason or _("Perubahan data usaha"))
    return household


BUSINESS_FIELDS = ("kind", "sector", "workers", "turnover_monthly")


def _businesses(rows: Sequence[dict[str, Any]]) -> list[HouseholdBusiness]:
    """The household's businesses as given (kind, sector, workers, monthly turnover), checked."""
    found: list[HouseholdBusiness] = []
    problems: list[str] = []
    if len(rows) > 20:
        raise ValidationError({"businesses": [_("Paling banyak 20 usaha per keluarga.")]})
    for number, row in enumerate(rows, start=1):
        business = HouseholdBusiness(**{k: row.get(k) for k in BUSINESS_FIELDS if k in row})
        if business.workers is None:
            business.workers = 0
        try:
            business.full_clean(exclude=["household"])
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                problems.append(
                    _("Usaha %(n)s, %(field)s: %(problem)s")
                    % {
                        "n": number,
                        "field": getattr(
                            HouseholdBusiness._meta.get_field(field), "verbose_name", field
                        ),
                        "problem": " ".join(messages),
                    }
                )
        found.append(business)
    if problems:
        raise ValidationError({"businesses": problems})
    return found


def _replace_businesses(
    user, household: Household, businesses: list[HouseholdBusiness], reason: str
) -> None:
    """The household's businesses become ``businesses``; the old rows stay in the history."""
    for old in household.businesses.all():
        stamp(old, user, reason)
        old.delete()
    for business in businesses:
        business.household = household
        stamp(business, user, reason)
        business.save()


def _checked_business(business: HouseholdBusiness, values: dict[str, Any]) -> None:
    for k in BUSINESS_FIELDS:
        if k in values:
            setattr(business, k, values[k])
    if business.workers is None:
        business.workers = 0
    _full_clean(business, exclude=["household", "uid"])


def _keep_business_flag(user, household: Household, reason: str) -> None:
    """``has_business`` follows the household's business rows."""
    has = household.businesses.exists()
    if household.has_business != has:
        household.has_business = has
        stamp(household, user, reason)
        household.save(update_fields=["has_business", "updated_at"])


@transaction.atomic
def add_business(
    user, household: Household, values: dict[str, Any], reason: str = ""
) -> HouseholdBusiness:
    """One more business of the household (form, sector, workers, monthly turnover)."""
    _require(user, household.village_id)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.businesses.count() >= 20:
        raise ValidationError(_("Paling banyak 20 usaha per keluarga."))
    business = HouseholdBusiness(household=household)
    _checked_business(business, values)
    reason = reason or _("Penambahan usaha keluarga")
    stamp(business, user, reason)
    business.save()
    _keep_business_flag(user, household, reason)
    return business


@transaction.atomic
def update_business(
    user, business: HouseholdBusiness, values: dict[str, Any], reason: str = ""
) -> HouseholdBusiness:
    household = business.household
    _require(user, household.village_id)
    business = HouseholdBusiness.objects.select_for_update().get(pk=business.pk)
    _checked_business(business, values)
    stamp(business, user, reason or _("Perubahan data usaha"))
    business.save()
    return business


@transaction.atomic
def remove_business(user, business: HouseholdBusiness, reason: str) -> None:
    """The business no longer runs; its rows stay in the history with the reason."""
    household = business.household
    _require(user, household.village_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Tuliskan alasan penghapusan.")]})
    stamp(business, user, reason)
    business.delete()
    _keep_business_flag(user, household, reason)


def _rescope_household(household: Household, village: Area) -> None:
    """The household, its members and all their PPKS now belong to ``village``."""
    household.village = village
    Person.objects.filter(household=household).update(
        area_code=village.code, version=F("version") + 1
    )
    PPKSAssignment.objects.filter(household=household).update(area_code=village.code)
    PPKSAssignment.objects.filter(person__household=household).update(area_code=village.code)


@transaction.atomic
def transfer_household(
    user, household: Household, *, to_village, reason: str, changes: dict | None = None
) -> Household:
    """Hand a household over to another regency: same row, same KK, same history.

    Only the receiving side acts (the origin has released it through a proposal), so the user
    must hold the destination, not the origin.
    """
    village = _village(to_village)
    _require(user, village.code)
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan dasar serah terima.")]})
    household = Household.objects.select_for_update().get(pk=household.pk)
    _rescope_household(household, village)
    for name in ("rt", "rw", "address"):
        if changes and name in changes:
            setattr(household, name, changes[name])
    _full_clean(household, exclude=["kk_number"])
    stamp(household, user, reason)
    household.save()
    return household


def update_person(
    user,
    person: Person,
    changes: dict[str, Any],
    reason: str = "",
    *,
    seen: versions.Seen | None = None,
) -> Person:
    """Change what ``changes`` names; ``seen``: the version the user's change is based on (a
    change clashing with someone else's since is a ``VersionConflict``)."""
    _require(user, person.area_code)
    new_nik = changes.get("nik")
    changed = new_nik is not None and str(new_nik).strip() != person.nik
    taken = _taken_numbers(user, niks=[new_nik] if changed else [], exclude_pk=person.pk)
    with transaction.atomic():
        return _update_person(user, person, changes, reason, taken, seen)


def _update_person(
    user, person: Person, changes: dict[str, Any], reason: str, taken, seen
) -> Person:
    person = versions.lock(person, changes, seen)
    values, flags = _prepare_person(changes, existing=person)
    if values["nik"] != person.nik:
        _refuse_taken_nik(taken, values["nik"])
    if (
        values.get("relationship") == c.Relationship.HEAD
        and person.relationship != c.Relationship.HEAD
        and person.household
        and person.household.head() is not None
    ):
        raise ValidationError({"relationship": [_("Keluarga ini sudah memiliki kepala keluarga.")]})
    for k, v in values.items():
        setattr(person, k, v)
    person.name_key = search_key(person.full_name)
    person.quality_flags = flags
    person.flagged = bool(flags)
    stamp(person, user, reason or _("Perubahan data penduduk"))
    person.save()
    return person


@transaction.atomic
def record_death(user, person: Person, *, on: date, reason: str = "") -> Person:
    return change_person_status(user, person, status=c.PersonStatus.DECEASED, on=on, reason=reason)


@transaction.atomic
def change_person_status(user, person: Person, *, status: str, on: date, reason: str) -> Person:
    """Active / moved / deceased. People are never deleted: this is how a record ends."""
    _require(user, person.area_code)
    if status not in c.PersonStatus.values or status == c.PersonStatus.MERGED:
        raise ValidationError({"status": [_("Status tidak dikenal.")]})
    if on > date.today():
        raise ValidationError({"status_date": [_("Tanggal tidak boleh di masa depan.")]})
    if on < person.birth_date:
        raise ValidationError({"status_date": [_("Tanggal tidak boleh sebelum tanggal lahir.")]})
    if not reason:
        raise ValidationError({"status_reason": [_("Tuliskan alasan perubahan status.")]})
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.status, person.status_date, person.status_reason = status, on, reason
    stamp(person, user, reason)
    person.save()
    if status != c.PersonStatus.ACTIVE:
        Membership.objects.filter(person=person, ended__isnull=True).update(ended=on, reason=reason)
    return person


@transaction.atomic
def move_person(
    user, person: Person, *, to: Household, relationship: int, on: date, reason: str
) -> Person:
    """Move someone to another household; the old membership is closed and kept."""
    _require(user, person.area_code)
    _require(user, to.village_id)
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan kepindahan.")]})
    if person.household_id == to.pk:
        raise ValidationError({"household": [_("Orang ini sudah anggota keluarga tersebut.")]})
    if relationship == c.Relationship.HEAD and to.head() is not None:
        raise ValidationError(
            {"relationship": [_("Keluarga tujuan sudah memiliki kepala keluarga.")]}
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    Membership.objects.filter(person=person, ended__isnull=True).update(ended=on, reason=reason)
    person.household, person.area_code, person.relationship = to, to.village_id, relationship
    stamp(person, user, reason)
    person.save()
    Membership.objects.create(
        person=person, household=to, relationship=relationship, started=on, reason=reason
    )
    PPKSAssignment.objects.filter(person=person).update(area_code=to.village_id)
    return person


@transaction.atomic
def assign_ppks(
    user,
    *,
    category,
    person: Person | None = None,
    household: Household | None = None,
    identified_on: date,
    source: str,
    note: str = "",
    verified: bool = False,
    reason: str = "",
) -> PPKSAssignment:
    area = person.area_code if person is not None else household.village_id  # type: ignore[union-attr]
    _require(user, area)
    if category.sensitive and not user.can(Cap.VIEW_SENSITIVE):
        raise PermissionDenied(_("Kategori ini hanya untuk petugas yang berwenang."))
    if identified_on > date.today():
        raise ValidationError({"identified_on": [_("Tanggal tidak boleh di masa depan.")]})
    check_ppks_rule(category, person=person, household=household, on_date=identified_on)
    subject = {"person": person} if person is not None else {"household": household}
    if PPKSAssignment.objects.filter(category=category, active=True, **subject).exists():
        raise ValidationError({"category": [_("PPKS ini sudah tercatat dan masih berlaku.")]})
    a = PPKSAssignment(
        category=category,
        area_code=area,
        identified_on=identified_on,
        source=source,
        note=note,
        verified_by=user if verified else None,
        verified_on=date.today() if verified else None,
        **subject,
    )
    _full_clean(a, exclude=["person", "household", "verified_by", "category"])
    stamp(a, user, reason or _("Pencatatan PPKS"))
    a.save()
    return a


@transaction.atomic
def end_ppks(user, assignment: PPKSAssignment, *, on: date, reason: str) -> PPKSAssignment:
    _require(user, assignment.area_code)
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan PPKS ini berakhir.")]})
    assignment.active, assignment.ended_on = False, on
    stamp(assignment, user, reason)
    assignment.save()
    return assignment


@transaction.atomic
def verify_ppks(user, assignment: PPKSAssignment, reason: str = "") -> PPKSAssignment:
    _require(user, assignment.area_code)
    assignment.verified_by, assignment.verified_on = user, date.today()
    stamp(assignment, user, reason or _("Verifikasi PPKS"))
    assignment.save()
    return assignment


@transaction.atomic
def register_psks_person(
    user, *, psks_type, person: Person, area, reason: str = "", **fields
) -> PSKSPerson:
    _require(user, area.code)
    if psks_type.kind != "person":
        raise ValidationError(
            {"psks_type": [_("Jenis PSKS ini adalah lembaga, bukan perorangan.")]}
        )
    obj = PSKSPerson(psks_type=psks_type, person=person, area=area, **fields)
    _full_clean(obj)
    stamp(obj, user, reason or _("Pendaftaran PSKS"))
    obj.save()
    return obj


def _keep_organisation_in_step(user, org: PSKSOrganisation) -> None:
    """The institution is also a body in the one list of organisations (decision 0013)."""
    org.organisation = keep_in_step(
        user,
        org.organisation,
        name=org.name,
        kind=for_psks(org.psks_type.slug),
        area=org.area,
        address=org.address,
        active=org.active,
    )


@transaction.atomic
def register_psks_organisation(
    user, *, psks_type, area, reason: str = "", **fields
) -> PSKSOrganisation:
    _require(user, area.code)
    if psks_type.kind != "organisation":
        raise ValidationError({"psks_type": [_("Jenis PSKS ini perorangan, bukan lembaga.")]})
    obj = PSKSOrganisation(psks_type=psks_type, area=area, **fields)
    _full_clean(obj)
    _keep_organisation_in_step(user, obj)
    stamp(obj, user, reason or _("Pendaftaran lembaga PSKS"))
    obj.save()
    return obj


@transaction.atomic
def update_psks_organisation(
    user,
    org: PSKSOrganisation,
    changes: dict,
    reason: str = "",
    *,
    seen: versions.Seen | None = None,
):
    _require(user, org.area_id)
    org = versions.lock(org, changes, seen)
    for k, v in changes.items():
        setattr(org, k, v)
    _require(user, org.area_id)
    _full_clean(org)
    _keep_organisation_in_step(user, org)
    stamp(org, user, reason or _("Perubahan lembaga PSKS"))
    org.save()
    return org
