"""Who lives in a household: relationships, sexes, birth dates and marital status."""

from __future__ import annotations

from datetime import date

from .distributions import COMPOSITION
from .randomness import FastRandom, Pick
from .records import (
    CHILD,
    CHILD_IN_LAW,
    DIVORCED,
    GRANDCHILD,
    HEAD,
    HELP,
    MARRIED,
    MAX_MEMBERS,
    OTHER,
    PARENT,
    REF_ORD,
    REFERENCE_DATE,
    SINGLE,
    SPOUSE,
    WIDOWED,
    YEAR,
    age_on,
)


class _Member:
    """A person while the household is being put together."""

    __slots__ = ("rel", "sex", "bd", "marital", "pool", "father")

    def __init__(self, rel: int, sex: str, bd: date, marital: int, pool: str, father: str = ""):
        self.rel = rel
        self.sex = sex
        self.bd = bd
        self.marital = marital
        self.pool = pool
        self.father = father  # a given-name token passed on to children now and then


class HouseholdMixin:
    """The household's composition, drawn from the generator's ``rng``."""

    rng: FastRandom
    ethnic_mix: Pick

    def _compose(self, pool: str, poor: bool) -> list[_Member]:
        """Who lives in the household: relationships, sexes, birth dates, marital status."""
        rng = self.rng
        r = rng.random
        kind = COMPOSITION(r())
        members: list[_Member] = []

        def born(age: float) -> date:
            return date.fromordinal(REF_ORD - int(age * YEAR) - rng.randrange(365))

        def spouse_pool() -> str:
            return pool if r() < 0.8 else self.ethnic_mix(r())

        def add_couple(head_age: float) -> tuple[_Member, _Member]:
            male_head = r() < 0.95
            gap = max(-5.0, min(15.0, rng.gauss(3.5, 4.0)))  # husband older by this many years
            husband_age = head_age if male_head else head_age + gap
            wife_age = max(18.0, husband_age - gap)
            husband = _Member(HEAD if male_head else SPOUSE, "L", born(husband_age), MARRIED,
                              pool if male_head else spouse_pool())  # fmt: skip
            wife = _Member(SPOUSE if male_head else HEAD, "P", born(wife_age), MARRIED,
                           spouse_pool() if male_head else pool)  # fmt: skip
            if male_head:
                members.extend((husband, wife))
            else:
                members.extend((wife, husband))
            return husband, wife

        if kind == "couple_kids":
            husband, wife = add_couple(rng.triangular(22, 68, 36))
            self._children(members, wife, husband, rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
        elif kind == "couple":
            age = rng.uniform(20, 32) if r() < 0.45 else rng.triangular(50, 85, 60)
            add_couple(age)
        elif kind == "single_parent":
            female = r() < 0.78
            head = _Member(HEAD, "P" if female else "L", born(rng.triangular(26, 72, 42)),
                           WIDOWED if r() < 0.6 else DIVORCED, pool)  # fmt: skip
            members.append(head)
            self._children(members, head, None, rng.choice((1, 2, 2, 3, 3, 4)))
        elif kind == "single":
            if r() < 0.5:
                head = _Member(
                    HEAD,
                    "P" if r() < 0.7 else "L",
                    born(rng.triangular(60, 92, 70)),
                    WIDOWED if r() < 0.8 else (DIVORCED if r() < 0.5 else SINGLE),
                    pool,
                )
            else:
                head = _Member(
                    HEAD,
                    "L" if r() < 0.65 else "P",
                    born(rng.uniform(19, 45)),
                    SINGLE if r() < 0.85 else DIVORCED,
                    pool,
                )
            members.append(head)
        elif kind == "extended":
            husband, wife = add_couple(rng.triangular(24, 55, 35))
            self._children(members, wife, husband, rng.choice((0, 1, 2, 2, 3, 3)))
            # A parent or parent-in-law of the head, or both.
            base = members[0] if r() < 0.6 else members[1]
            base_age = age_on(base.bd, REFERENCE_DATE)
            p_age = base_age + rng.randint(20, 40)
            if p_age <= 95:
                if r() < 0.3 and p_age + 4 <= 95:
                    members.append(_Member(PARENT, "L", born(p_age + rng.uniform(0, 4)), MARRIED,
                                           base.pool))  # fmt: skip
                    members.append(_Member(PARENT, "P", born(p_age), MARRIED, base.pool))
                else:
                    members.append(
                        _Member(
                            PARENT,
                            "P" if r() < 0.75 else "L",
                            born(p_age),
                            WIDOWED if r() < 0.9 else DIVORCED,
                            base.pool,
                        )
                    )
        elif kind == "three_gen":
            husband, wife = add_couple(rng.triangular(48, 80, 58))
            self._three_generations(members, wife, husband)
        else:  # "skipped": grandparent(s) raising grandchildren whose parents work away
            if r() < 0.5:
                husband, wife = add_couple(rng.triangular(52, 82, 62))
                grand_base = wife
            else:
                grand_base = _Member(
                    HEAD, "P" if r() < 0.8 else "L", born(rng.triangular(52, 85, 64)), WIDOWED, pool
                )
                members.append(grand_base)
            # Grandchildren: 34-70 years younger than the grandparent, at least 1 year old.
            g_age = age_on(grand_base.bd, REFERENCE_DATE)
            hi, lo = min(17, g_age - 34), max(1, g_age - 70)
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                if hi >= lo:
                    members.append(
                        _Member(
                            GRANDCHILD,
                            "L" if r() < 0.51 else "P",
                            born(rng.uniform(lo, hi)),
                            SINGLE,
                            pool,
                        )
                    )

        # Now and then another relative (a nephew, a widowed aunt) or a household help.
        if len(members) < MAX_MEMBERS and r() < 0.045:
            age = rng.uniform(8, 70)
            members.append(_Member(OTHER, "L" if r() < 0.45 else "P", born(age),
                                   self._adult_marital(age, r()), pool))  # fmt: skip
        if len(members) < MAX_MEMBERS and r() < (0.002 if poor else 0.01):
            age = rng.uniform(18, 55)
            members.append(
                _Member(
                    HELP,
                    "P" if r() < 0.85 else "L",
                    born(age),
                    self._adult_marital(age, r()),
                    self.ethnic_mix(r()),
                )
            )
        return members[:MAX_MEMBERS]

    @staticmethod
    def _adult_marital(age: float, r: float) -> int:
        if age < 19:
            return SINGLE
        if age < 30:
            return SINGLE if r < 0.8 else (MARRIED if r < 0.95 else DIVORCED)
        if age < 60:
            return (
                MARRIED
                if r < 0.45
                else (SINGLE if r < 0.7 else (DIVORCED if r < 0.85 else WIDOWED))
            )
        return WIDOWED if r < 0.7 else (MARRIED if r < 0.85 else DIVORCED)

    def _children(
        self, members: list[_Member], mother: _Member, father: _Member | None, wanted: int
    ) -> list[_Member]:
        """Children born when each parent was 16-45; grown-ups have often moved out."""
        rng = self.rng
        r = rng.random
        parents = [p for p in (mother, father) if p is not None]
        birth_age = rng.uniform(18, 30)
        kids: list[_Member] = []
        pool = father.pool if father is not None else mother.pool
        for _ in range(wanted):
            if len(members) >= MAX_MEMBERS - 1:
                break
            bd = date.fromordinal(
                mother.bd.toordinal() + int(birth_age * YEAR) + rng.randrange(300)
            )
            birth_age += rng.uniform(1.4, 5.5)
            if bd.toordinal() > REF_ORD:
                break
            if not all(16 <= age_on(p.bd, bd) <= 45 for p in parents):
                continue
            age = age_on(bd, REFERENCE_DATE)
            if age >= 25 and r() < min(0.9, 0.2 + (age - 25) * 0.07):
                continue  # married or working elsewhere: on another KK
            if age < 19:
                marital = SINGLE
            else:
                marital = SINGLE if r() < 0.9 else (DIVORCED if r() < 0.8 else WIDOWED)
            kid = _Member(CHILD, "L" if r() < 0.51 else "P", bd, marital, pool,
                          father=(father or mother).pool)  # fmt: skip
            kids.append(kid)
            members.append(kid)
        return kids

    def _three_generations(self, members: list[_Member], wife: _Member, husband: _Member) -> None:
        """An older couple, a married child with their spouse (menantu) and grandchildren."""
        rng = self.rng
        r = rng.random
        kids = self._children(members, wife, husband, rng.choice((1, 2, 2, 3)))
        adults = [k for k in kids if age_on(k.bd, REFERENCE_DATE) >= 20]
        if not adults:
            return
        married = adults[0]
        married.marital = MARRIED
        m_age = age_on(married.bd, REFERENCE_DATE)
        gap = rng.uniform(-3, 8)  # husband older by this many years
        in_law_age = max(19.0, m_age - gap if married.sex == "L" else m_age + gap)
        in_law = _Member(
            CHILD_IN_LAW,
            "P" if married.sex == "L" else "L",
            date.fromordinal(REF_ORD - int(in_law_age * YEAR) - rng.randrange(365)),
            MARRIED,
            self.ethnic_mix(r()),
        )
        members.append(in_law)
        mother, father = (in_law, married) if married.sex == "L" else (married, in_law)
        before = len(members)
        self._children(members, mother, father, rng.choice((1, 1, 2, 2, 3)))
        for grandchild in members[before:]:
            grandchild.rel = GRANDCHILD

    # -- people -----------------------------------------------------------------------------
