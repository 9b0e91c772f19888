"""The synthetic-data generator: valid, consistent, deterministic and safe to run twice."""

from __future__ import annotations

import csv
import uuid
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from pandu.demo import bulk
from pandu.demo.synth import (
    CSV_COLUMNS,
    MISMATCH_FLAG,
    REFERENCE_DATE,
    RULES_VALID_UNTIL,
    FastRandom,
    RegistryGenerator,
    _uid,
)
from pandu.registry.models import Household, Membership, Person, PPKSAssignment, age_on
from pandu.registry.names import search_key
from pandu.registry.nik import check_kk, check_nik

pytestmark = pytest.mark.django_db

DISTRICT = "73.09.13"  # Moncongloe: three villages in the shared area fixture


def generate(*args: str) -> None:
    call_command("generate_registry", *args, stdout=_Sink(), stderr=_Sink())


class _Sink:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def loaded(areas):
    generate("--region", DISTRICT, "--households", "50", "--seed", "7")
    return Person.objects.select_related("household").order_by("id")


def test_every_generated_nik_is_valid_and_matches_birth_date_and_sex(loaded):
    people = list(loaded)
    assert len(people) >= 100
    for p in people:
        result = check_nik(p.nik, birth_date=p.birth_date, sex=p.sex, today=REFERENCE_DATE)
        assert result.valid, (p.nik, result.errors)
        codes = {i.code for i in result.flags}
        assert "sex_mismatch" not in codes
        if p.flagged:
            assert p.quality_flags == [MISMATCH_FLAG]
            assert "birth_date_mismatch" in codes
        else:
            assert p.quality_flags == []
            assert not codes, (p.nik, p.birth_date, codes)
        # Registered in the household's district, or (people move) elsewhere in the regency.
        assert p.nik.startswith("7309")
        assert p.area_code == p.household.village_id
        assert p.name_key == search_key(p.full_name)


def test_numbers_are_unique_and_kk_numbers_are_valid(loaded):
    niks = [p.nik for p in loaded]
    assert len(niks) == len(set(niks))
    kks = list(Household.objects.values_list("kk_number", flat=True))
    assert len(kks) == 50 == len(set(kks))
    for kk in kks:
        assert kk.startswith("730913")
        assert check_kk(kk, today=REFERENCE_DATE).valid


def test_each_household_has_one_head_and_children_younger_than_the_head(loaded):
    by_household = defaultdict(list)
    for p in loaded:
        by_household[p.household_id].append(p)
    assert len(by_household) == 50
    for members in by_household.values():
        assert 1 <= len(members) <= 9
        heads = [p for p in members if p.relationship == 1]
        assert len(heads) == 1
        head = heads[0]
        spouses = [p for p in members if p.relationship == 2]
        for spouse in spouses:
            assert spouse.sex != head.sex
            assert spouse.marital_status == head.marital_status == 2
        for child in (p for p in members if p.relationship in (3, 5)):
            assert child.birth_date > head.birth_date
            if child.relationship == 3:
                assert 16 <= age_on(head.birth_date, child.birth_date) <= 45
        for p in members:
            age = age_on(p.birth_date, REFERENCE_DATE)
            assert 0 <= age <= 100
            if age < 15:
                assert p.marital_status == 1
            if p.pregnant:
                assert p.sex == "P" and 18 <= age <= 45


def test_every_person_has_one_current_membership(loaded):
    people = {p.id: p for p in loaded}
    memberships = list(Membership.objects.all())
    assert Counter(m.person_id for m in memberships) == Counter(list(people))
    for m in memberships:
        person = people[m.person_id]
        assert m.ended is None
        assert m.household_id == person.household_id
        assert m.relationship == person.relationship
        assert person.birth_date <= m.started <= REFERENCE_DATE
        if person.relationship in (3, 5):
            assert m.started == person.birth_date


def test_ppks_assignments_obey_the_category_rules(areas):
    # Enough households that the common categories appear.
    generate("--region", DISTRICT, "--households", "400", "--seed", "3")
    assignments = list(PPKSAssignment.objects.select_related("category", "person", "household"))
    numbers = Counter(a.category.number for a in assignments)
    assert numbers[24] > 0  # Fakir Miskin
    for a in assignments:
        category = a.category
        if a.person is None:
            assert category.household_level
            assert a.area_code == a.household.village_id
            continue
        assert not category.household_level
        assert a.area_code == a.person.area_code
        for when in (a.identified_on, REFERENCE_DATE, RULES_VALID_UNTIL):
            assert category.accepts_age(age_on(a.person.birth_date, when)), (
                category.number,
                a.person.birth_date,
                when,
            )
        if category.sex:
            assert a.person.sex == category.sex
        assert a.identified_on <= REFERENCE_DATE
        assert a.verified_on is None or a.identified_on <= a.verified_on <= REFERENCE_DATE


def test_same_seed_gives_identical_csv_and_another_seed_does_not(areas, tmp_path):
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]
    for path, seed in zip(paths, ("5", "5", "6"), strict=True):
        generate("--region", DISTRICT, "--households", "50", "--seed", seed, "--out", str(path))
    first, second, other = (p.read_bytes() for p in paths)
    assert first == second
    assert first != other
    rows = list(csv.DictReader(paths[0].open(encoding="utf-8")))
    assert list(rows[0]) == CSV_COLUMNS
    assert len({r["kk_number"] for r in rows}) == 50
    for row in rows:
        born = date(*reversed([int(x) for x in row["birth_date"].split("-")]))
        assert check_nik(row["nik"], sex=row["sex"], today=REFERENCE_DATE).valid
        assert row["village_code"].startswith(DISTRICT + ".")
        assert born <= REFERENCE_DATE


def test_csv_matches_what_is_written_to_the_database(areas, tmp_path):
    path = tmp_path / "out.csv"
    generate("--region", DISTRICT, "--households", "30", "--seed", "11", "--out", str(path))
    generate("--region", DISTRICT, "--households", "30", "--seed", "11")
    rows = {r["nik"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    people = {p.nik: p for p in Person.objects.select_related("household")}
    assert rows.keys() == people.keys()
    for nik, p in people.items():
        row = rows[nik]
        assert row["full_name"] == p.full_name
        assert row["birth_date"] == p.birth_date.strftime("%d-%m-%Y")
        assert row["kk_number"] == p.household.kk_number


def test_the_generator_process_pipeline_writes_the_same_data(areas, tmp_path):
    # More households than one chunk: generation runs in a forked process.
    generate("--region", DISTRICT, "--households", "40", "--seed", "9", "--chunk", "15")
    forked = sorted(Person.objects.values_list("nik", "full_name", "household__kk_number"))
    path = tmp_path / "single.csv"
    generate("--region", DISTRICT, "--households", "40", "--seed", "9", "--out", str(path))
    rows = csv.DictReader(path.open(encoding="utf-8"))
    assert forked == sorted((r["nik"], r["full_name"], r["kk_number"]) for r in rows)
    assert Household.objects.count() == 40


def test_a_second_load_continues_the_serial_numbers(loaded):
    before = set(Person.objects.values_list("nik", flat=True))
    kks_before = set(Household.objects.values_list("kk_number", flat=True))
    # The same seed would produce the same numbers; the existing serials push them further.
    nik_serials, kk_serials = bulk.existing_serials("7309")
    again = RegistryGenerator(
        bulk.region_info(DISTRICT),
        households=50,
        seed=7,
        categories=bulk.category_rules(),
        name_key=search_key,
        nik_serials=nik_serials,
        kk_serials=kk_serials,
    )
    households = list(again)
    niks = {p.nik for h in households for p in h.members}
    assert not niks & before
    assert not {h.kk_number for h in households} & kks_before
    assert all(int(n[12:]) >= 2 for n in niks)


def test_loading_the_same_seed_twice_is_refused(loaded):
    with pytest.raises(CommandError, match="already in this database"):
        generate("--region", DISTRICT, "--households", "50", "--seed", "7")
    generate("--region", DISTRICT, "--households", "20", "--seed", "8")
    assert Household.objects.count() == 70


def test_unknown_region_and_bad_counts_fail_cleanly(areas):
    with pytest.raises(CommandError, match="Unknown area code"):
        generate("--region", "99.99", "--households", "5")
    with pytest.raises(CommandError, match="at least 1"):
        generate("--region", DISTRICT, "--households", "0")
    assert not Person.objects.exists()


def test_uids_are_version_4_uuids_drawn_from_the_rng():
    a, b = FastRandom("u"), FastRandom("u")
    for _ in range(20):
        assert _uid(a) == uuid.UUID(int=b.getrandbits(128), version=4).hex


def test_fast_random_is_deterministic():
    a, b = FastRandom("x"), FastRandom("x")
    assert [a.randint(1, 6) for _ in range(50)] == [b.randint(1, 6) for _ in range(50)]
    assert all(1 <= a.randint(1, 6) <= 6 for _ in range(1000))
