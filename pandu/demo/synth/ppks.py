"""PPKS records: a person's categories by age, disability and poverty, and household-level ones."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from .distributions import FAKIR_MISKIN_BY_DESIL, PPKS_SOURCE, RARE_PPKS, RARE_PPKS_SHARE
from .randomness import FastRandom, Pick, _uid
from .records import (
    DIVORCED,
    HEAD,
    REF_ORD,
    REFERENCE_DATE,
    RULES_VALID_UNTIL,
    WIDOWED,
    CategoryRule,
    GenPerson,
    GenPPKS,
    age_on,
)


class PPKSMixin:
    """Adds PPKS records to the generated people, checking each category's age/sex rule."""

    rng: FastRandom
    uid_rng: Random
    rules: dict[int, CategoryRule]

    def _when(self, earliest: date) -> tuple[date, date | None]:
        """Identification date in the two years before the reference date, and verification."""
        rng = self.rng
        start = max(earliest.toordinal(), REF_ORD - 730)
        identified = date.fromordinal(rng.randint(min(start, REF_ORD), REF_ORD))
        verified = None
        if rng.random() < 0.7:
            verified = date.fromordinal(min(REF_ORD, identified.toordinal() + rng.randrange(60)))
        return identified, verified

    def _add_person_ppks(
        self, person: GenPerson, index: int, number: int, out: list[GenPPKS]
    ) -> None:
        rule = self.rules.get(number)
        if rule is None or number in person.ppks:
            return
        if rule.household_level:
            return
        identified, verified = self._when(person.birth_date)
        if not rule.accepts(
            person.birth_date, person.sex, (identified, REFERENCE_DATE, RULES_VALID_UNTIL)
        ):
            return
        person.ppks.append(number)
        out.append(
            GenPPKS(
                _uid(self.uid_rng),
                number,
                index,
                identified,
                PPKS_SOURCE(self.rng.random()),
                verified,
            )
        )

    def _person_ppks(
        self, person: GenPerson, index: int, poor: bool, desil: int | None, alone: bool,
        out: list[GenPPKS],
    ) -> None:  # fmt: skip
        r = self.rng.random
        age = age_on(person.birth_date, REFERENCE_DATE)
        if age >= 60:
            p = 0.012 + (0.03 if poor else 0.0) + (0.1 if alone else 0.0)
            if r() < p:
                self._add_person_ppks(person, index, 8, out)
        if person.disability_type:
            if age < 18:
                if r() < 0.7:
                    self._add_person_ppks(person, index, 5, out)
                if r() < 0.2:
                    self._add_person_ppks(person, index, 9, out)
            elif r() < 0.65:
                self._add_person_ppks(person, index, 9, out)
        if poor:
            if age <= 4 and desil == 1 and r() < 0.02:
                self._add_person_ppks(person, index, 1, out)
            elif 6 <= age <= 17 and r() < 0.015:
                self._add_person_ppks(person, index, 2, out)
            if (
                person.relationship == HEAD
                and person.sex == "P"
                and person.marital_status in (DIVORCED, WIDOWED)
                and 18 <= age <= 58
                and r() < 0.5
            ):
                self._add_person_ppks(person, index, 23, out)
        if r() < RARE_PPKS_SHARE * (2 if poor else 0.6):
            eligible = [
                (number, weight)
                for number, weight, lo, hi, sex in RARE_PPKS
                if lo <= age <= hi and (not sex or sex == person.sex)
            ]
            if eligible:
                self._add_person_ppks(person, index, Pick(eligible)(r()), out)

    def _household_ppks(
        self, people: list[GenPerson], desil: int | None, poor: bool, out: list[GenPPKS]
    ) -> None:
        r = self.rng.random
        numbers = []
        if desil is not None and r() < FAKIR_MISKIN_BY_DESIL.get(desil, 0.0):
            numbers.append(24)
        if r() < 0.012:
            numbers.append(21)
        if r() < 0.0015:
            numbers.append(22)
        if r() < 0.004:
            numbers.append(25)
        if poor and r() < 0.003:
            numbers.append(26)
        head = people[0]
        for number in numbers:
            rule = self.rules.get(number)
            if rule is None:
                continue
            if rule.household_level:
                identified, verified = self._when(REFERENCE_DATE - timedelta(days=730))
                source = PPKS_SOURCE(r())
                out.append(GenPPKS(_uid(self.uid_rng), number, None, identified, source, verified))
            else:  # an office made it a per-person category: record it on the head
                self._add_person_ppks(head, 0, number, out)
