"""A person's attributes: education, work, health, name, birth place, NIK and membership."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from random import Random

from .distributions import (
    CHRONIC_ADULT,
    CHRONIC_CHILD,
    DISABILITY_TYPE,
    EDUCATION_BY_COHORT,
    EDUCATION_MIN_AGE,
    SECTOR_RURAL,
    SECTOR_URBAN,
    SEVERITY,
    WORK_STATUS,
    WORK_STATUS_POOR,
)
from .household import _Member
from .randomness import FastRandom, _uid
from .records import (
    CHILD,
    GRANDCHILD,
    HEAD,
    MARRIED,
    MISMATCH_SHARE,
    MOVER_SHARE,
    REF_ORD,
    REFERENCE_DATE,
    SINGLE,
    SPOUSE,
    GenPerson,
    _add_years,
    age_on,
)
from .serials import SerialsMixin
from .vocabulary import (
    COMPOUND_HEADS,
    DAENG_NAMES,
    DEGREES,
    NAMES,
    OLD_SPELLING_POOLS,
    OTHER_PLACES,
    SULSEL_PLACES,
    VARIANTS,
    _old_spelling,
)


class PeopleMixin(SerialsMixin):
    """Turns a household member into a :class:`GenPerson`, drawing from ``rng`` and ``uid_rng``."""

    rng: FastRandom
    uid_rng: Random
    sulsel: bool
    _name_key: Callable[[str], str]
    _name_keys: dict[str, str]

    def _person(
        self,
        m: _Member,
        poor: bool,
        kelurahan: bool,
        district_digits: str,
        regency: str,
        regency_name: str,
        district_name: str,
        kk_issued: date,
        *,
        head_has_spouse: bool,
    ) -> GenPerson:
        rng = self.rng
        r = rng.random
        bd = m.bd
        age = age_on(bd, REFERENCE_DATE)
        female = m.sex == "P"

        # Education (highest level attended) and school participation.
        if age < 5:
            education, school = 0, 0
        elif age < 7:
            education, school = 0, (1 if r() < 0.4 else 0)
        elif age <= 18:
            level = 1 if age <= 12 else (2 if age <= 15 else 3)
            if r() < (0.12 if poor else 0.04) and age >= 10:
                education, school = max(1, level - 1), 2
            else:
                education, school = level, 1
        else:
            cohort = (
                1990
                if bd.year >= 1990
                else 1970
                if bd.year >= 1970
                else 1955
                if bd.year >= 1955
                else 0
            )
            education = EDUCATION_BY_COHORT[cohort](r())
            if poor:
                education = min(education, EDUCATION_BY_COHORT[cohort](r()))
            while EDUCATION_MIN_AGE[education] > age:
                education -= 1
            if age <= 23 and education >= 3 and r() < 0.35:
                education, school = max(education, 4 if age < 21 else 5), 1
                while EDUCATION_MIN_AGE[education] > age:
                    education -= 1
            else:
                school = 0 if education == 0 else 2

        # Work in the last week (asked from age 10; reported from 15).
        if age < 10:
            worked: bool | None = None
            work_status: int | None = None
            sector: int | None = None
        else:
            if age < 15 or school == 1:
                p_work = 0.03 if age < 15 else 0.1
            elif age < 20:
                p_work = 0.5
            elif age < 60:
                p_work = 0.5 if female else 0.9
            elif age < 70:
                p_work = 0.25 if female else 0.6
            else:
                p_work = 0.08 if female else 0.3
            if m.rel == HEAD and not female and age < 65:
                p_work = 0.95
            if m.rel == HEAD and female and not head_has_spouse and age < 60:
                p_work = 0.8
            worked = r() < p_work
            if worked:
                work_status = (WORK_STATUS_POOR if poor else WORK_STATUS)(r())
                if age < 18 and work_status in (3, 4):
                    work_status = 6
                sector = (SECTOR_URBAN if kelurahan else SECTOR_RURAL)(r())
            else:
                work_status, sector = 0, 0

        # Disability, chronic illness, pregnancy.
        p_dis = 0.01 if age < 18 else 0.019 if age < 60 else 0.05 if age < 75 else 0.12
        if r() < p_dis:
            disability, severity = DISABILITY_TYPE(r()), SEVERITY(r())
        else:
            disability = severity = 0
        p_ill = 0.015 if age < 30 else 0.05 if age < 45 else 0.15 if age < 60 else 0.3
        illness = (CHRONIC_CHILD if age < 18 else CHRONIC_ADULT)(r()) if r() < p_ill else 0
        pregnant = (
            female
            and m.marital == MARRIED
            and 18 <= age <= 45
            and r() < (0.05 if age <= 35 else 0.02)
        )

        ever_married = m.marital != SINGLE
        certificate = (r() < (0.72 if poor else 0.9)) if ever_married else None
        id_card = (r() < 0.96) if age >= 17 or ever_married else False

        full_name = self._full_name(m, age, education)
        name_key = self._name_keys.get(full_name)
        if name_key is None:
            if len(self._name_keys) > 500_000:
                self._name_keys.clear()
            name_key = self._name_keys[full_name] = self._name_key(full_name)

        # Birth place: mostly the home regency, otherwise nearby or where parents worked.
        x = r()
        if x < 0.55 or (age < 10 and x < 0.9):
            birth_place = regency_name or district_name
        elif x < 0.72:
            birth_place = district_name or regency_name
        else:
            birth_place = rng.choice(SULSEL_PLACES if self.sulsel else OTHER_PLACES)

        # NIK: district where first registered + birth date (+40 for women) + serial.
        flagged = r() < MISMATCH_SHARE
        nik_date = bd
        if flagged:
            nik_date = _mismatched_date(rng, bd)
        nik_district = district_digits
        if r() < MOVER_SHARE:
            others = self.region.districts_by_regency.get(regency) or [district_digits]
            nik_district = rng.choice(others)
        nik = self._nik(nik_district, regency, nik_date, female)

        if m.rel in (CHILD, GRANDCHILD):
            started = bd
        else:
            earliest = max(kk_issued.toordinal(), _add_years(bd, 17).toordinal())
            if m.rel in (HEAD, SPOUSE):
                earliest = kk_issued.toordinal()
            started = date.fromordinal(
                min(REF_ORD - 1, earliest + (0 if m.rel in (HEAD, SPOUSE) else rng.randrange(900)))
            )
            started = max(started, bd)

        return GenPerson(
            uid=_uid(self.uid_rng),
            nik=nik,
            full_name=full_name,
            name_key=name_key,
            sex=m.sex,
            birth_place=birth_place,
            birth_date=bd,
            relationship=m.rel,
            marital_status=m.marital,
            has_marriage_certificate=certificate,
            has_id_card=id_card,
            school_participation=school,
            education=education,
            worked_last_week=worked,
            work_status=work_status,
            work_sector=sector,
            disability_type=disability,
            disability_severity=severity,
            chronic_illness=illness,
            pregnant=pregnant,
            flagged=flagged,
            membership_started=started,
        )

    def _full_name(self, m: _Member, age: int, education: int) -> str:
        rng = self.rng
        r = rng.random
        year = m.bd.year
        cohort = "old" if year < 1975 else "mid" if year < 1995 else "new"
        pool = m.pool
        names = NAMES[(pool, m.sex, cohort)]
        tokens = rng.choice(names).split()
        if cohort == "new" and len(tokens) == 2 and r() < 0.5:
            # Recent names mix freely: "Muhammad" + "Fajar", "Nur" + "Aisyah Putri".
            other = rng.choice(names).split()
            if other[-1] not in tokens:
                tokens[-1] = other[-1]
        if len(tokens) == 1 and tokens[0] not in COMPOUND_HEADS and r() < 0.35:
            # Compound given names: "Muhammad Rahman", "Abdul Karim", "Siti Aminah", "Nur Aisyah".
            if m.sex == "L":
                if cohort == "new":
                    tokens.insert(0, "Muhammad")
                else:
                    tokens.insert(
                        0, "Muhammad" if r() < 0.6 else ("Abdul" if r() < 0.5 else "Ahmad")
                    )
            elif r() < 0.5 and pool in ("bugis", "makassar", "melayu", "jawa"):
                tokens.insert(0, "Sitti" if pool == "bugis" and r() < 0.4 else "Siti")
            else:
                tokens.insert(0, "Nur")
        elif r() < 0.15 and len(tokens) < 3:
            # A second name from the same pool: "Hasnah Ramlah", "Syamsul Rusli".
            extra = rng.choice(names).split()[-1]
            if extra not in tokens:
                tokens.append(extra)
        # Children sometimes carry their father's tradition in a second name.
        if m.rel in (CHILD, GRANDCHILD) and m.father and r() < 0.1 and len(tokens) < 3:
            tokens.append(rng.choice(NAMES[(m.father, "L", "mid")]).split()[-1])

        # Spelling variants, abbreviations and the old (pre-1972) spelling.
        out = []
        for token in tokens:
            variant = VARIANTS.get(token)
            out.append(variant(r()) if variant is not None else token)
        if pool in OLD_SPELLING_POOLS and year < 1970 and r() < 0.3:
            out = [_old_spelling(t) for t in out]

        if pool in ("bugis", "makassar") and r() < 0.04 and out[0] not in ("Andi", "A."):
            out.insert(0, "Andi" if r() < 0.8 else "A.")
        if pool == "makassar" and year < 1985 and r() < 0.3:
            out += ["Daeng" if r() < 0.25 else "Dg.", rng.choice(DAENG_NAMES)]
        if age >= 45 and r() < 0.08:
            x = r()
            title = (
                ("H." if x < 0.85 else "Haji")
                if m.sex == "L"
                else ("Hj." if x < 0.85 else "Hajjah")
            )
            out.insert(0, title)
        full = " ".join(out)
        if education >= 5 and r() < 0.25:
            full += rng.choice(DEGREES) if education == 5 else ", M.Pd."
        elif education == 4 and r() < 0.08:
            full += ", A.Md."
        if r() < 0.03:
            full = full.upper()  # copied from an old all-capitals list
        return full

    # -- NIK and KK -------------------------------------------------------------------------


def _mismatched_date(rng: Random, bd: date) -> date:
    """A plausible wrong birth date in a NIK: a typo in day, month or year."""
    kind = rng.random()
    if kind < 0.4:
        other = bd + timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 27))
    elif kind < 0.7:
        other = _add_years(bd, rng.choice((-1, 1)) * rng.randint(1, 9))
    elif bd.day <= 12 and bd.day != bd.month:
        other = date(bd.year, bd.day, min(bd.month, 28))  # day and month swapped
    else:
        other = bd + timedelta(days=rng.choice((-1, 1)) * rng.randint(28, 330))
    if (other.day, other.month, other.year % 100) == (bd.day, bd.month, bd.year % 100):
        other = bd + timedelta(days=1)
    return other
