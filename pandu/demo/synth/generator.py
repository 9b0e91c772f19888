"""The generator: households one at a time, from seeded random streams."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from random import Random

from .distributions import (
    ASSETS,
    CARDS,
    HOUSING,
    LIVESTOCK,
    NO_TOILET_WASTE,
    OTHER_DESIL,
    POOR_DESIL,
    TOILET_TYPE,
    WASTE,
    WATTAGE,
)
from .household import HouseholdMixin
from .people import PeopleMixin
from .ppks import PPKSMixin
from .randomness import FastRandom, Pick, _uid
from .records import (
    GRANDCHILD,
    REF_ORD,
    SPOUSE,
    CategoryRule,
    GenerationError,
    GenHousehold,
    GenPerson,
    GenPPKS,
    RegionInfo,
    Village,
    _add_years,
)
from .vocabulary import (
    DEFAULT_ETHNIC_MIX,
    DUSUN_WORDS,
    ETHNIC_MIX,
    PERUMAHAN,
    STREETS,
    _short_regency,
)


class RegistryGenerator(HouseholdMixin, PeopleMixin, PPKSMixin):
    """Yields :class:`GenHousehold` objects for ``households`` households in ``region``.

    ``nik_serials`` / ``kk_serials`` hold the highest serial already used per 12-digit prefix
    (district digits + date), so generated numbers continue after existing ones.
    ``name_key`` turns a full name into its search key (``pandu.registry.names.search_key``).
    """

    def __init__(
        self,
        region: RegionInfo,
        *,
        households: int,
        seed: int,
        categories: Sequence[CategoryRule],
        name_key: Callable[[str], str],
        nik_serials: dict[str, int] | None = None,
        kk_serials: dict[str, int] | None = None,
    ) -> None:
        if households < 1:
            raise GenerationError("households must be at least 1")
        if not region.villages:
            raise GenerationError(f"area {region.code} has no villages")
        self.region = region
        self.households = households
        self.seed = seed
        key = f"{seed}|{region.code}"
        self.rng = FastRandom(f"pandu-synth|data|{key}")
        self.uid_rng = Random(f"pandu-synth|uid|{key}")
        self._name_key = name_key
        self._name_keys: dict[str, str] = {}
        self.nik_serials: dict[str, int] = dict(nik_serials or {})
        self.kk_serials: dict[str, int] = dict(kk_serials or {})
        self.rules = {c.number: c for c in categories}
        self._village_info: dict[str, tuple] = {}
        self._pick_village = self._village_table(Random(f"pandu-synth|villages|{key}"))
        self.ethnic_mix = ETHNIC_MIX.get(region.code[:2], DEFAULT_ETHNIC_MIX)
        self.sulsel = region.code[:2] in ("73", "76")

    # -- public -----------------------------------------------------------------------------

    def __iter__(self) -> Iterator[GenHousehold]:
        for _ in range(self.households):
            yield self._household()

    def first_uid(self) -> str:
        """The uid the first household will get (to detect a seed that was loaded before)."""
        probe = Random()
        probe.setstate(self.uid_rng.getstate())
        return _uid(probe)

    # -- villages ---------------------------------------------------------------------------

    def _village_table(self, rng: Random) -> Pick:
        """Uneven but fixed village weights: towns (kelurahan) are denser than villages."""
        weights = []
        for v in self.region.villages:
            w = rng.lognormvariate(0.0, 0.7)
            if len(v.code) == 13 and v.code[9] == "1":
                w *= 1.8
            weights.append((v, w))
        return Pick(weights)

    def _village(self, village: Village) -> tuple:
        """Per-village layout (RW count, RT count, dusun or street names), fixed by its code."""
        info = self._village_info.get(village.code)
        if info is None:
            rng = Random(f"pandu-synth|village|{self.seed}|{village.code}")
            n_rw = rng.randint(2, 6)
            rt_max = rng.randint(4, 15)
            kelurahan = len(village.code) == 13 and village.code[9] == "1"
            if kelurahan:
                places = rng.sample(STREETS, 5)
            else:
                places = rng.sample(DUSUN_WORDS, n_rw)
                if village.name not in places and rng.random() < 0.5:
                    places[0] = village.name
            district = village.code[:8]
            regency = village.code[:5]
            info = (
                n_rw,
                rt_max,
                kelurahan,
                places,
                district.replace(".", ""),
                regency,
                _short_regency(self.region.regency_names.get(regency, "")),
                self.region.district_names.get(district, ""),
            )
            self._village_info[village.code] = info
        return info

    # -- household --------------------------------------------------------------------------

    def _household(self) -> GenHousehold:
        rng = self.rng
        r = rng.random
        village = self._pick_village(r())
        n_rw, rt_max, kelurahan, places, district_digits, regency, regency_name, district_name = (
            self._village(village)
        )
        rw = rng.randint(1, n_rw)
        rt = rng.randint(1, rt_max)
        if kelurahan:
            if r() < 0.1:
                address = f"{rng.choice(PERUMAHAN)} Blok {'ABCDEFGH'[rng.randrange(8)]}"
                address += f" No. {rng.randint(1, 40)}"
            else:
                address = f"Jl. {rng.choice(places)} No. {rng.randint(1, 250)}"
        elif r() < 0.12:
            address = f"Jl. Poros {village.name} No. {rng.randint(1, 120)}"
        else:
            address = f"Dusun {places[(rw - 1) % len(places)]}"

        poor = r() < (0.28 if kelurahan else 0.36)
        if poor:
            desil: int | None = POOR_DESIL(r())
        else:
            desil = OTHER_DESIL(r()) if r() < 0.45 else None
        pool = self.ethnic_mix(r())
        members = self._compose(pool, poor)
        head = members[0]

        # KK issued after the head turned 17, not before 2005 (16-digit KK with this shape).
        earliest = max(_add_years(head.bd, 17).toordinal(), date(2005, 1, 1).toordinal())
        kk_issued = date.fromordinal(rng.randint(earliest, max(earliest, REF_ORD - 1)))
        kk_number = self._kk(district_digits, regency, kk_issued)

        hh_uid = _uid(self.uid_rng)
        people: list[GenPerson] = []
        ppks: list[GenPPKS] = []
        alone = len(members) == 1 or all(m.rel == GRANDCHILD for m in members[1:])
        for index, m in enumerate(members):
            person = self._person(
                m, poor, kelurahan, district_digits, regency, regency_name, district_name,
                kk_issued, head_has_spouse=any(x.rel == SPOUSE for x in members),
            )  # fmt: skip
            people.append(person)
            self._person_ppks(person, index, poor, desil, alone, ppks)
        self._household_ppks(people, desil, poor, ppks)

        i = 0 if poor else 1
        own = HOUSING["ownership"][i](r())
        lighting = HOUSING["lighting"][i](r())
        toilet_use = HOUSING["toilet_use"][i](r())
        if toilet_use == 4:
            toilet_type, waste = 4, NO_TOILET_WASTE(r())
        else:
            toilet_type, waste = TOILET_TYPE[i](r()), WASTE[i](r())
        fishing = any(p.work_sector == 3 for p in people)
        assets = [
            code
            for code, p_poor, p_rich in ASSETS
            if r() < (p_poor if poor else p_rich) * (4 if fishing and "boat" in code else 1)
        ]
        cards = [code for code, p_poor, p_rich in CARDS if r() < (p_poor if poor else p_rich)]
        livestock = {kind: rng.randint(1, most) for kind, share, most in LIVESTOCK if r() < share}
        size = len(people)
        return GenHousehold(
            uid=hh_uid,
            kk_number=kk_number,
            kk_issued=kk_issued,
            village_code=village.code,
            rt=rt,
            rw=rw,
            address=address,
            desil=desil,
            ownership=own,
            land_ownership=HOUSING["land_ownership"][i](r()),
            floor_area=(
                rng.randint(18, 30 + 6 * size) if poor else rng.randint(36, 70 + 20 * size)
            ),
            floor_material=HOUSING["floor_material"][i](r()),
            wall_material=HOUSING["wall_material"][i](r()),
            wall_condition=(2 if r() < 0.7 else 1) if poor else (1 if r() < 0.9 else 2),
            roof_material=HOUSING["roof_material"][i](r()),
            roof_condition=(2 if r() < 0.65 else 1) if poor else (1 if r() < 0.9 else 2),
            bedrooms=rng.randint(1, 2) if poor else rng.randint(2, 4),
            water_source=HOUSING["water_source"][i](r()),
            lighting=lighting,
            wattage=WATTAGE[i](r()) if lighting == 1 else 0,
            cooking_fuel=HOUSING["cooking_fuel"][i](r()),
            toilet_use=toilet_use,
            toilet_type=toilet_type,
            waste_disposal=waste,
            assets=assets,
            livestock=livestock,
            has_business=r() < (0.12 if poor else 0.25),
            cards=cards,
            members=people,
            ppks=ppks,
        )
