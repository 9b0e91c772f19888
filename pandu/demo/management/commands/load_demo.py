"""Demo office for Kabupaten Maros (73.09): one user per role, synthetic households, a few PSKS,
a working one-stop service (``pandu.demo.onestop``) and the integrated programme of Moncongloe
(``pandu.demo.programmes``)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from pandu.accounts.actions import create_user
from pandu.accounts.models import User
from pandu.registry.models import Household, PSKSOrganisation, PSKSType

DEMO_PASSWORD = "pandu-demo-2026"
# username, role, area, display name
DEMO_USERS = [
    ("admin", "admin", "73.09", "Admin Dinas Sosial Maros"),
    ("rahma", "operator", "73.09.13.2003", "Rahma (Operator Desa Moncongloe Lappara)"),
    ("syamsul", "tksk", "73.09.13", "Syamsul (TKSK Moncongloe)"),
    ("andi", "social_worker", "73.09", "Andi (Pekerja Sosial)"),
    ("dewi", "front_office", "73.09", "Dewi (Front Office SLRT)"),
    ("lina", "partner", "73.09", "dr. Lina (Dinas Kesehatan)"),
    ("yusuf", "partner", "73.09", "Yusuf (LKS Harapan Sejahtera, penyelenggara Askesos)"),
    ("kadis", "head", "73.09", "Kepala Dinas Sosial"),
    ("auditor", "auditor", "73.09", "Auditor / Pejabat Pelindungan Data"),
]


class Command(BaseCommand):
    help = "Load the Maros demo (users per role, synthetic registry). Keeps existing data."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, households, seed, **opts):
        for username, role, area, name in DEMO_USERS:
            if not User.objects.filter(username=username).exists():
                first, _sep, last = name.partition(" ")
                create_user(
                    username,
                    role=role,
                    area_code=area,
                    password=DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                )
        if not Household.objects.filter(village__prefix="73.09").exists():
            call_command("generate_registry", region="73.09", households=households, seed=seed)
        if not PSKSOrganisation.objects.exists():
            self._organisations()
        from pandu.demo import cycle, onestop

        if onestop.load():
            self.stdout.write(
                "One-stop service: SLRT Maros and Puskesos Moncongloe with staff, three partner "
                "agencies, intakes of the last 90 days at every stage (login 'dewi', 'andi', "
                "'lina')."
            )
        if cycle.load_proposals():
            self.stdout.write(
                "Proposals of Moncongloe Lappara at every stage: draft, waiting for visits, "
                "verified, decided (login 'rahma', 'syamsul', 'admin')."
            )
        if cycle.load_duplicates():
            self.stdout.write("People registered twice in Moncongloe, waiting for review.")
        from pandu.demo import programmes

        if programmes.load():
            self.stdout.write(
                "The integrated programme of Moncongloe (2012): six implementers, their "
                "activities, BBPPKS's DIPA line and the PKSA target of 70 children (login "
                "'admin', 'kadis'; 'ipsi' and 'syamsul' as implementers' focal points)."
            )
        from pandu.demo import empowerment

        if empowerment.load():
            self.stdout.write(
                "PKH families of Moncongloe Lappara: aid-use visits, a graduation plan ready for "
                "the Dinas, the KUBE group Sipakainga and a UEP grant (login 'syamsul', 'admin')."
            )
        from pandu.demo import payments

        if payments.load():
            self.stdout.write(
                "This quarter's PKH cycle of Maros: computed, approved by the Dinas and the head, "
                "a bank's reconciliation with a failed payment on the retry list (login 'admin', "
                "'kadis')."
            )
        from pandu.demo import privacy

        if privacy.load():
            self.stdout.write(
                "Personal data: consents in Moncongloe Lappara, requests at three steps, a "
                "restriction waiting for approval and a breach whose clock runs (login 'dewi', "
                "'auditor')."
            )
        from pandu.demo import insurance

        if insurance.load():
            self.stdout.write(
                "Askesos: LKS Harapan Sejahtera with eight members of Moncongloe paying, one "
                "behind, one lapsed, claims paid, waiting and rejected (login 'yusuf', 'admin')."
            )
        from pandu.demo import notices

        if notices.load():
            self.stdout.write(
                "Finished exports of Moncongloe Lappara waiting for 'dewi' and 'auditor'."
            )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, area, name in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {role:<14} {area:<14} {name}")

    def _organisations(self):
        from pandu.regions.models import Area
        from pandu.registry.actions import register_psks_organisation

        admin = User.objects.get(username="admin")
        rows = [
            (
                "karang-taruna",
                "Karang Taruna Tunas Harapan Moncongloe",
                "73.09.13.2003",
                "pemerintah",
            ),
            ("lks", "LKS Anak Yatim Al-Ikhlas Maros", "73.09.01", "yayasan"),
            ("lk3", "LK3 Sipakatau Maros", "73.09", "perkumpulan"),
        ]
        for slug, name, area, legal in rows:
            register_psks_organisation(
                admin,
                psks_type=PSKSType.objects.get(slug=slug),
                area=Area.objects.get(code=area),
                name=name,
                legal_status=legal,
                reason="Data demo",
            )
