"""The registry's work in the Maros demo (``manage.py load_demo``): proposals of Moncongloe
Lappara at every stage of the update cycle, and people registered twice waiting in the review
queue. Written through the proposal and registry actions by the demo users, like ``onestop``.

- A draft Bu Rahma is still filling in; a batch waiting for Pak Syamsul's visits (one planned);
  a batch he verified that waits for the administrator's decision; a batch decided (one family
  approved and entered in the registry, one rejected with a reason).
- A few people of the district registered a second time under another NIK with their name
  spelled differently (``plant_duplicates``), then a deduplication run over the district with
  the stored (or default) model, so the review queue has pairs to look at.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pandu.accounts.models import User
from pandu.proposals import actions as proposals
from pandu.proposals.models import ProposalBatch
from pandu.proposals.payloads import verification_subjects
from pandu.registry import actions as registry
from pandu.registry.choices import Relationship
from pandu.registry.models import Person

LAPPARA = "73.09.13.2003"
DISTRICT = "73.09.13"
DISTRICT_DIGITS = DISTRICT.replace(".", "")
# A minimal PDF standing in for the signed minutes of the village meeting.
MINUTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

# Families proposed at the village meetings: head, wife, head's birth date, wife's.
FAMILIES = [
    ("Daeng Sikki", "Hasnah", date(1979, 4, 12), date(1983, 9, 3)),
    ("Baharuddin", "Nurlina", date(1985, 1, 20), date(1988, 6, 14)),
    ("Syamsuddin", "Rosmiati", date(1972, 11, 2), date(1976, 3, 30)),
    ("Abdul Karim", "Hadijah", date(1990, 7, 7), date(1992, 2, 18)),
    ("Muhammad Ilyas", "Sitti Rahmah", date(1981, 5, 25), date(1984, 12, 1)),
    ("Jumadi", "Marlina", date(1969, 8, 16), date(1971, 10, 9)),
    ("Rudi Hartono", "Sri Wahyuni", date(1987, 3, 3), date(1989, 4, 22)),
    ("Ambo Tang", "Becce", date(1965, 2, 11), date(1968, 9, 27)),
]
SERIAL_BASE = 9100  # NIK/KK serials of the proposed families, apart from the generated registry


def _nik(born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{DISTRICT_DIGITS}{day:02d}{born:%m%y}{serial:04d}"


def _family(n: int) -> dict:
    head, wife, head_born, wife_born = FAMILIES[n % len(FAMILIES)]
    serial = SERIAL_BASE + 2 * n
    return {
        "household": {
            "kk_number": f"{DISTRICT_DIGITS}{date(2019, 6, 1):%d%m%y}{serial:04d}",
            "village": LAPPARA,
            "rt": 1 + n % 4,
            "rw": 1 + n % 2,
            "address": "Dusun Bontoa",
        },
        "members": [
            {
                "nik": _nik(head_born, "L", serial),
                "full_name": head,
                "sex": "L",
                "birth_date": head_born,
                "relationship": 1,
                "marital_status": 2,
            },
            {
                "nik": _nik(wife_born, "P", serial + 1),
                "full_name": wife,
                "sex": "P",
                "birth_date": wife_born,
                "relationship": 2,
                "marital_status": 2,
            },
        ],
        "reason": "Keluarga miskin hasil musyawarah desa",
    }


def _batch(operator, days_ago: int, families: range, *, submit: bool = True):
    batch = proposals.create_batch(
        operator,
        village=LAPPARA,
        meeting_date=date.today() - timedelta(days=days_ago),
        minutes=SimpleUploadedFile("berita-acara-musdes.pdf", MINUTES, "application/pdf"),
        note="Musyawarah desa",
    )
    items = []
    for n in families:
        try:
            items.append(proposals.add_household_item(operator, batch, **_family(n)))
        except ValidationError:
            continue  # a number the generated registry happens to hold: leave that family out
    if submit and items:
        proposals.submit_batch(operator, batch)
    return items


def _verify(tksk, item) -> None:
    results = {
        s.key: {"result": "confirmed", "note": "Ditemui di rumah"}
        for s in verification_subjects(item)
    }
    proposals.verify_item(tksk, item, results=results, note="Kondisi rumah sesuai usulan")


def load_proposals() -> bool:
    """The proposals of Moncongloe Lappara at every stage; once (False when any exists)."""
    if ProposalBatch.objects.exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in=("rahma", "syamsul", "admin"))}
    if len(users) != 3:
        return False
    rahma, syamsul, admin = users["rahma"], users["syamsul"], users["admin"]
    decided = _batch(rahma, 30, range(0, 2))
    for item in decided:
        _verify(syamsul, item)
    if decided:
        proposals.decide_item(admin, decided[0], approve=True)
    if len(decided) > 1:
        proposals.decide_item(
            admin,
            decided[1],
            approve=False,
            reason="Sudah menerima bantuan dari program lain; diusulkan kembali tahun depan",
        )
    for item in _batch(rahma, 14, range(2, 4)):
        _verify(syamsul, item)
    waiting = _batch(rahma, 4, range(4, 7))
    if waiting:
        proposals.plan_visit(syamsul, waiting[0], date.today() + timedelta(days=1))
    _batch(rahma, 1, range(7, 8), submit=False)
    return True


# --- people registered twice -----------------------------------------------------------------


def _spelled_otherwise(name: str) -> str:
    """The same name as another desk might type it."""
    first, _sep, rest = name.partition(" ")
    if first.lower() in ("muhammad", "muhamad", "muh", "moh"):
        return f"Moh. {rest}".strip()
    if first.lower() in ("siti", "sitti"):
        return f"Sitti {rest}".strip() if first.lower() == "siti" else f"Siti {rest}".strip()
    return f"{first}{first[-1]} {rest}".strip()


def plant_duplicates(admin, count: int = 3) -> list[Person]:
    """Register ``count`` heads of the district again, in another village of the district, with
    a new family card and NIK and the name spelled differently (as happens at a second desk)."""
    heads = list(
        Person.objects.filter(
            area_code__prefix=DISTRICT + ".", status="active", relationship=Relationship.HEAD
        ).order_by("id")[:count]
    )
    villages = sorted(
        set(
            Person.objects.filter(area_code__prefix=DISTRICT + ".")
            .values_list("area_code", flat=True)
            .distinct()
        )
    )
    planted = []
    for n, head in enumerate(heads):
        village = next((v for v in villages if v != head.area_code), head.area_code)
        serial = SERIAL_BASE + 500 + n
        member = {
            "nik": _nik(head.birth_date, head.sex, serial),
            "full_name": _spelled_otherwise(head.full_name),
            "sex": head.sex,
            "birth_date": head.birth_date,
            "birth_place": head.birth_place,
            "relationship": 1,
            "marital_status": head.marital_status,
        }
        household = {
            "kk_number": f"{DISTRICT_DIGITS}{date(2021, 2, 1):%d%m%y}{serial:04d}",
            "village": village,
            "rt": 1,
            "rw": 1,
        }
        try:
            created = registry.register_household(
                admin, household=household, members=[member], reason="Data demo: terdaftar ganda"
            )
        except ValidationError:
            continue
        planted.append(created.members.get(relationship=Relationship.HEAD))
    return planted


def load_duplicates() -> bool:
    """Planted near-duplicates and one deduplication run over the district; once."""
    from pandu.dedup import actions as dedup
    from pandu.dedup import spec
    from pandu.dedup.models import DedupRun, LinkageModel
    from pandu.dedup.pipeline import count_people

    if DedupRun.objects.exists():
        return False
    admin = User.objects.filter(username="admin").first()
    if admin is None or not plant_duplicates(admin):
        return False
    if not LinkageModel.objects.exists():
        # The default model (learned on the labelled test data), instead of training on a
        # small demo district.
        people = count_people(DISTRICT)
        LinkageModel.objects.create(
            created_by=admin,
            records=people,
            area_code=DISTRICT,
            settings_json=spec.settings_dict(prior=spec.prior_for(max(people, 100))),
        )
    dedup.find_duplicates(admin, area=DISTRICT, threshold=0.5, train=False)
    return True
