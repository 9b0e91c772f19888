"""Personal data in the Maros demo: consents of three people of Moncongloe Lappara (one
withdrawn), data subjects' requests at three steps (a copy being prepared by 'dewi', a
correction just received, a restriction waiting for the data protection officer's approval)
and a breach whose authority notice is still due, its clock running.

Made through the actions, as the desk and the officer would; a second load adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from pandu.accounts.models import User
from pandu.privacy import actions
from pandu.privacy.models import Breach, SubjectRequest
from pandu.programs.models import Programme
from pandu.registry.models import Person

VILLAGE = "73.09.13.2003"  # Moncongloe Lappara


def _users() -> dict[str, User] | None:
    found = {u.username: u for u in User.objects.filter(username__in=["admin", "dewi", "rahma"])}
    return found if len(found) == 3 else None


@transaction.atomic
def load() -> bool:
    users = _users()
    if users is None or SubjectRequest.objects.exists() or Breach.objects.exists():
        return False
    people = list(
        Person.objects.filter(
            area_code=VILLAGE, status="active", birth_date__year__lt=1990
        ).order_by("id")[:3]
    )
    if len(people) < 3:
        return False
    admin, desk, operator = users["admin"], users["dewi"], users["rahma"]
    now = timezone.now()
    today = timezone.localdate()
    for person in people:
        actions.record_consent(
            operator, person, purpose="registration",
            scope="Data keluarga untuk pendaftaran dan pemutakhiran DTSEN",
            given_by="self", method="verbal", witness_name="Kepala Dusun Lappara",
            given_on=today - timedelta(days=60),
        )  # fmt: skip
    pkh = Programme.objects.filter(code="PKH").first()
    if pkh is not None:
        sharing = actions.record_consent(
            desk, people[1], purpose="programme", programme=pkh,
            scope="Nama, NIK dan alamat untuk verifikasi calon KPM PKH",
            given_by="self", method="verbal", witness_name="Dewi (Front Office SLRT)",
            given_on=today - timedelta(days=30),
        )  # fmt: skip
        actions.withdraw_consent(
            desk, sharing, on=today - timedelta(days=3),
            reason="Tidak ingin lagi datanya dibagikan kepada program", by="self",
        )  # fmt: skip
    copy = actions.receive_request(
        desk, people[0], kind="access", channel="walk_in", requester="self",
        description="Meminta salinan data yang disimpan Dinas Sosial tentang saya.",
        received_at=now - timedelta(days=2), identity_method="ktp",
    )  # fmt: skip
    copy = actions.acknowledge_request(desk, copy, note="Tanda terima diserahkan di loket SLRT")
    actions.assign_request(desk, copy, desk)
    place = "Pangkajene" if people[1].birth_place == "Maros" else "Maros"
    actions.receive_request(
        desk, people[1], kind="correction", channel="walk_in", requester="self",
        description="Tempat lahir saya tertulis salah.", changes={"birth_place": place},
    )  # fmt: skip
    restrict = actions.receive_request(
        admin, people[2], kind="restriction", channel="letter", requester="self",
        description="Mohon data saya tidak dipakai untuk program baru selama sengketa waris.",
        received_at=now - timedelta(days=5), identity_method="ktp",
    )  # fmt: skip
    restrict = actions.acknowledge_request(admin, restrict, note="Surat balasan dikirim")
    actions.propose_outcome(
        admin, restrict, outcome="restrict",
        reason="Data wajib disimpan (terdaftar aktif); pemrosesan baru dibatasi.",
    )  # fmt: skip
    breach = actions.record_breach(
        admin, area_code="73.09", discovered_at=now - timedelta(hours=30),
        title="Daftar KPM terkirim ke grup WhatsApp yang salah",
        description="Berkas daftar KPM satu desa terkirim ke grup WhatsApp warga; pesan sudah "
        "ditarik 20 menit kemudian.",
        categories=["identity", "financial"], people_affected=86,
        containment="Pesan ditarik; anggota grup diminta menghapus berkas.",
    )  # fmt: skip
    actions.record_notice(
        admin, breach, recipient="subjects", method="in_person",
        sent_at=now - timedelta(hours=6), recipients_count=86,
        summary="Pendamping PKH mendatangi KPM terdampak dan menjelaskan kejadiannya.",
    )  # fmt: skip
    return True
