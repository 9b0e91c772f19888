"""Aid-use monitoring and graduation in the Maros demo: PKH families of Moncongloe Lappara.

Four families are registered, listed by a PKH targeting run over the village, visited by Pak
Syamsul (TKSK), approved by the Dinas and decreed by the head, all through the actions, 120 days
ago. Syamsul has since visited three of them (what the aid went to, a KKS card problem, a
family that has not received it); Maros's graduation criteria for PKH are set; one family has a
graduation plan that meets them, waiting for the Dinas to graduate it; the KUBE group
"Sipakainga" of Lappara has three members and its grant, and one family a UEP grant. Other
families of the village that the run listed stay candidates waiting for a visit. A second load
adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from pandu.accounts.models import User
from pandu.empowerment import actions
from pandu.empowerment.models import UseVisit
from pandu.programs import actions as programs
from pandu.programs.models import Enrolment, Programme
from pandu.regions.models import Area
from pandu.registry import actions as registry
from pandu.registry.models import Household
from pandu.targeting import actions as targeting

LAPPARA = "73.09.13.2003"
DISTRICT_DIGITS = "730913"
SERIAL_BASE = 9300  # NIK/KK serials apart from the generated registry and the proposals
DECREE = "460/118/DINSOS-PKH/2026"

# head, wife, head's birth date, wife's, desil, income per month, business
FAMILIES = [
    ("La Tahang", "Sitti Aisyah", date(1978, 3, 14), date(1982, 7, 2), 5, 3_200_000, "warung"),
    ("Mappiare", "Hamsinah", date(1984, 10, 5), date(1987, 1, 19), 3, 1_400_000, ""),
    ("Abdul Rahim", "Nurhayati", date(1975, 6, 30), date(1979, 12, 8), 4, 1_900_000, "kue"),
    ("Daeng Nai", "Suriani", date(1989, 2, 22), date(1991, 5, 11), 2, 1_100_000, ""),
]


def _nik(born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{DISTRICT_DIGITS}{day:02d}{born:%m%y}{serial:04d}"


def _register(admin: User) -> list[Household]:
    families = []
    for n, (head, wife, head_born, wife_born, desil, income, _business) in enumerate(FAMILIES):
        serial = SERIAL_BASE + 2 * n
        kk = f"{DISTRICT_DIGITS}{date(2018, 4, 2):%d%m%y}{serial:04d}"
        existing = Household.objects.filter(kk_number=kk).first()
        if existing is not None:
            families.append(existing)
            continue
        try:
            families.append(
                registry.register_household(
                    admin,
                    household={
                        "kk_number": kk,
                        "village": LAPPARA,
                        "rt": 2 + n % 3,
                        "rw": 1,
                        "address": "Dusun Lappara",
                        "desil": desil,
                        "desil_source": "dtsen",
                        "desil_reference": "DTSEN 2025",
                        "income_monthly": income,
                    },
                    members=[
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
                    ],  # fmt: skip
                    reason="Data demo: keluarga PKH Moncongloe Lappara",
                )
            )
        except ValidationError:
            continue  # a number the generated registry happens to hold: leave the family out
    return families


def _enrol(users: dict[str, User], families: list[Household], decreed_on: date) -> list[Enrolment]:
    """The real path: a committed PKH run over the village, the visit, the Dinas, the decree."""
    admin, tksk, head = users["admin"], users["syamsul"], users["kadis"]
    pkh = Programme.objects.get(code="PKH")
    ruleset = targeting.save_ruleset(
        admin,
        name="PKH demo: keluarga Moncongloe Lappara",
        rule={"field": "household_size", "op": "gte", "value": 1},
    )
    run = targeting.start_run(admin, ruleset=ruleset, area=LAPPARA, programme=pkh, background=False)
    programs.create_candidates(admin, targeting.commit_run(admin, run))
    chosen = list(
        Enrolment.objects.filter(
            programme=pkh, household__in=families, status="calon"
        ).select_related("household", "recipient")
    )
    for enrolment in chosen:
        programs.verify_candidate(tksk, enrolment, result="ditemukan", note="Ditemui di rumah")
        programs.approve_by_dinas(admin, enrolment)
    if chosen:
        programs.approve_by_head(
            head, chosen, area_code="73.09", number=DECREE, decreed_on=decreed_on
        )
    return list(Enrolment.objects.filter(pk__in=[e.pk for e in chosen]).order_by("id"))


def load() -> bool:
    """The demo's PKH families, their visits, a plan, a KUBE group; False when already there."""
    if UseVisit.objects.exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in=("admin", "syamsul", "kadis"))}
    if len(users) != 3 or not Area.objects.filter(code=LAPPARA).exists():
        return False
    admin, tksk = users["admin"], users["syamsul"]
    today = timezone.localdate()
    families = _register(admin)
    kpm = _enrol(users, families, today - timedelta(days=120))
    if len(kpm) < 3:
        return False
    by_household = {e.household_id: e for e in kpm}
    kpm = [by_household[f.pk] for f in families if f.pk in by_household]

    # Syamsul's visits of the last two months.
    actions.record_visit(
        tksk, kpm[0], visited_on=today - timedelta(days=40), use_food=True, use_school=True,
        use_business=True, use_note="", note="Anak sulung sudah SMP; warung buka tiap hari",
    )  # fmt: skip
    actions.record_visit(
        tksk, kpm[1], visited_on=today - timedelta(days=25), use_food=True, use_debt=True,
        problem_card=True, problem_card_note="Kartu KKS tertelan mesin ATM, belum diganti bank",
        follow_up_needed=True, follow_up_note="Surat pengantar ke bank penyalur untuk kartu baru",
    )  # fmt: skip
    actions.record_visit(
        tksk, kpm[2], visited_on=today - timedelta(days=6), aid_received=False,
        problem_pin=True, problem_pin_note="PIN terblokir setelah tiga kali salah",
        problem_ewarong=True, problem_ewarong_note="E-warong tutup saat jadwal pengambilan",
    )  # fmt: skip
    actions.record_visit(
        tksk, kpm[0], visited_on=today - timedelta(days=3), use_food=True, use_health=True,
        note="Ibu berobat ke puskesmas",
    )  # fmt: skip

    # Maros's criteria for PKH, and a plan that meets them.
    maros = Area.objects.get(code="73.09")
    pkh = kpm[0].programme
    actions.set_criterion(
        admin, programme=pkh, area=maros, kind="desil_di_atas", threshold=4,
        note="Keluarga keluar dari desil 1–4",
    )  # fmt: skip
    actions.set_criterion(
        admin, programme=pkh, area=maros, kind="usaha_berjalan", threshold=6, required=False
    )
    actions.set_criterion(admin, programme=pkh, area=maros, kind="mandiri", required=False)
    actions.create_plan(
        tksk,
        kpm[0],
        facilitator=tksk,
        goals="Warung kelontong berjalan tanpa bantuan; anak tetap sekolah; tabungan keluarga",
        business_started_on=today - timedelta(days=270),
        steps=[
            actions.StepData("Pelatihan pembukuan warung sederhana", today + timedelta(days=14)),
            actions.StepData("Membuka tabungan di bank", today + timedelta(days=45)),
        ],
    )

    # The KUBE group of Lappara with its members and its grant; a UEP grant.
    group = actions.create_group(
        tksk,
        village=Area.objects.get(code=LAPPARA),
        name="Sipakainga",
        business_type="Kue tradisional dan jajanan pasar",
        sector=6,
        formed_on=today - timedelta(days=90),
        note="Dibentuk bersama pendamping PKH",
    )
    for enrolment, role, business in zip(
        kpm[1:] + kpm[:1],
        ("ketua", "bendahara", "anggota"),
        ("Kue lapis", "Barongko", "Jalangkote"),
        strict=False,
    ):
        if enrolment.recipient is None:
            continue
        actions.add_member(
            tksk,
            group,
            person=enrolment.recipient,
            role=role,
            business=business,
            on=today - timedelta(days=80),
        )
    actions.record_group_grant(
        admin,
        group,
        amount=20_000_000,
        received_on=today - timedelta(days=60),
        note="Bantuan KUBE APBN 2026",
    )
    if len(kpm) > 3:
        actions.record_uep_grant(
            admin,
            kpm[3].household,
            recipient=kpm[3].recipient,
            amount=3_500_000,
            granted_on=today - timedelta(days=30),
            business="Jualan sayur keliling",
            sector=8,
        )
    return True
