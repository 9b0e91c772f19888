"""Printed profiles of the registry: a household (its members and PPKS) and a person, on the
letterhead of the office over the record's village. The PPKS printed are those the caller passes:
the views give only what the user may see (need-to-know categories included only for the roles
that may see them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from pandu.accounts.models import DocumentKind
from pandu.accounts.offices import letterhead_for
from pandu.core.printing import Paper, area_labels, esc, fmt_date, grid, kv_table, signature_block

from . import display
from .masking import mask_nik
from .models import Household, Person, PPKSAssignment, PSKSPerson


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("Ya") if value else _("Tidak")


def _pregnancy(person: Person) -> str:
    parts = [_("Hamil")]
    if person.pregnancy_months:
        parts.append(_("%(n)s bulan") % {"n": person.pregnancy_months})
    if person.due_date:
        parts.append(_("perkiraan lahir %(date)s") % {"date": fmt_date(person.due_date)})
    return ", ".join(str(p) for p in parts)


def _ppks_rows(assignments: Iterable[PPKSAssignment], people: dict[int, str]) -> list[list[str]]:
    return [
        [
            a.category.name,
            people.get(a.person_id or 0, _("Keluarga")),
            fmt_date(a.identified_on),
            a.get_source_display(),
            _("Berlaku") if a.active else _("Berakhir %(d)s") % {"d": fmt_date(a.ended_on)},
        ]
        for a in assignments
    ]


def household_profile_pdf(
    hh: Household,
    members: Sequence[Person],
    ppks: Sequence[PPKSAssignment],
    *,
    printed_by: str,
    full_nik: bool = True,
) -> bytes:
    """``full_nik`` False prints NIKs masked, as the reader sees them on the page."""
    head = letterhead_for(hh.village_id)
    paper = Paper(head, _("Profil keluarga %(kk)s") % {"kk": hh.kk_number})
    st = paper.st
    village = area_labels([hh.village_id]).get(hh.village_id, hh.village_id)
    today = date.today()
    story = paper.top()
    story += [
        Paragraph(_("PROFIL KELUARGA"), st["title"]),
        kv_table(
            [
                [_("Nomor KK"), hh.kk_number],
                [_("Alamat"), hh.address or "—"],
                [_("RT/RW"), f"{hh.rt:03d}/{hh.rw:03d}"],
                [_("Desa/Kelurahan"), village],
                [_("Status"), hh.get_status_display()],
                [_("Desil kesejahteraan"), display.desil_text(hh)],
                [_("Tanggal pendataan"), fmt_date(hh.collected_on)],
            ],
            [40 * mm, paper.width - 40 * mm],
        ),
        Paragraph(_("Ekonomi dan aset"), st["h"]),
        kv_table(
            [
                [_("Pendapatan per bulan"), display.rupiah(hh.income_monthly)],
                [_("Pengeluaran per bulan"), display.rupiah(hh.expenditure_monthly)],
                [
                    _("Pencari nafkah utama"),
                    hh.breadwinner.full_name if hh.breadwinner else "—",
                ],
                [_("Luas lahan"), display.land_area(hh)],
                [_("Aset"), ", ".join(display.asset_labels(hh)) or "—"],
                [_("Ternak"), ", ".join(display.livestock_labels(hh)) or "—"],
                [_("Kartu/program"), ", ".join(display.card_labels(hh)) or "—"],
            ],
            [45 * mm, paper.width - 45 * mm],
        ),
        Paragraph(_("Anggota keluarga"), st["h"]),
        grid(
            [_("NIK"), _("Nama"), _("Hubungan"), _("L/P"), _("Tanggal lahir"), _("Status")],
            [
                [
                    m.nik if full_nik else mask_nik(m.nik),
                    m.full_name,
                    m.get_relationship_display(),
                    m.sex,
                    _("%(date)s (%(age)s th)")
                    % {"date": fmt_date(m.birth_date), "age": m.age(today)},
                    m.get_status_display(),
                ]
                for m in members
            ],
            [32 * mm, 42 * mm, 28 * mm, 10 * mm, 34 * mm, paper.width - 146 * mm],
        ),
    ]
    businesses = list(hh.businesses.all())
    if businesses:
        story += [
            Paragraph(_("Daftar usaha keluarga"), st["h"]),
            grid(
                [_("Bentuk usaha"), _("Lapangan usaha"), _("Pekerja"), _("Omzet per bulan")],
                [
                    [
                        b.get_kind_display(),
                        b.get_sector_display(),
                        str(b.workers),
                        display.rupiah(b.turnover_monthly),
                    ]
                    for b in businesses
                ],
                [50 * mm, 60 * mm, 20 * mm, paper.width - 130 * mm],
            ),
        ]
    story.append(Paragraph(_("PPKS"), st["h"]))
    names = {m.pk: m.full_name for m in members}
    if ppks:
        story.append(
            grid(
                [_("PPKS"), _("Untuk"), _("Sejak"), _("Sumber"), _("Keadaan")],
                _ppks_rows(ppks, names),
                [50 * mm, 40 * mm, 22 * mm, 28 * mm, paper.width - 140 * mm],
            )
        )
    else:
        story.append(Paragraph(_("Tidak ada PPKS yang tercatat."), st["p"]))
    story += [
        Spacer(1, 8 * mm),
        signature_block(
            st, head, DocumentKind.PROFILE, width=paper.width, fallback_name=printed_by
        ),
    ]
    return paper.build(story)


def person_profile_pdf(
    person: Person,
    ppks: Sequence[PPKSAssignment],
    psks_roles: Sequence[PSKSPerson],
    *,
    printed_by: str,
    full_nik: bool = True,
) -> bytes:
    """``full_nik`` False prints the NIK masked, as the reader sees it on the page."""
    hh = person.household
    village_code = hh.village_id if hh else person.area_code
    head = letterhead_for(village_code)
    paper = Paper(head, _("Profil penduduk %(name)s") % {"name": person.full_name})
    st = paper.st
    labels = area_labels([village_code, *(r.area_id for r in psks_roles)])
    story = paper.top()
    rows = [
        [_("NIK"), person.nik if full_nik else mask_nik(person.nik)],
        [_("Nama lengkap"), person.full_name],
        [_("Jenis kelamin"), person.get_sex_display()],
        [
            _("Tempat, tanggal lahir"),
            f"{person.birth_place or '—'}, {fmt_date(person.birth_date)}"
            + " "
            + _("(%(age)s tahun)") % {"age": person.age()},
        ],
        [_("Status perkawinan"), person.get_marital_status_display()],
        [_("Pendidikan"), person.get_education_display() if person.education else "—"],
        [_("Pekerjaan"), person.get_work_status_display() if person.work_status else "—"],
        [
            _("Disabilitas"),
            person.get_disability_type_display() if person.disability_type else "—",
        ],
        [_("Memiliki KTP-el"), _yes_no(person.has_id_card)],
        [
            _("Jenjang sekolah saat ini"),
            person.get_school_level_display() if person.school_level is not None else "—",
        ],
    ]
    if person.pregnant:
        rows.append([_("Kehamilan"), _pregnancy(person)])
    rows += [
        [
            _("Jaminan kesehatan"),
            person.get_health_insurance_display() if person.health_insurance is not None else "—",
        ],
        [_("Nomor telepon"), person.phone or "—"],
        [_("Bank penyalur"), person.bank_name or "—"],
        # Paper leaves the office's control: the account is masked whoever prints it.
        [_("Nomor rekening bank/KKS"), person.masked_bank_account or "—"],
        [_("Status"), person.get_status_display()],
    ]
    if hh is not None:
        rows += [
            [_("Nomor KK"), hh.kk_number],
            [_("Hubungan dalam keluarga"), person.get_relationship_display()],
            [
                _("Alamat"),
                f"{hh.address or ''} RT {hh.rt:03d}/RW {hh.rw:03d}".strip()
                + "\n"
                + labels.get(village_code or "", "—"),
            ],
        ]
    story += [
        Paragraph(_("PROFIL PENDUDUK"), st["title"]),
        kv_table(rows, [45 * mm, paper.width - 45 * mm]),
        Paragraph(_("PPKS"), st["h"]),
    ]
    if ppks:
        story.append(
            grid(
                [_("PPKS"), _("Untuk"), _("Sejak"), _("Sumber"), _("Keadaan")],
                _ppks_rows(ppks, {person.pk: person.full_name}),
                [50 * mm, 40 * mm, 22 * mm, 28 * mm, paper.width - 140 * mm],
            )
        )
    else:
        story.append(Paragraph(_("Tidak ada PPKS yang tercatat."), st["p"]))
    if psks_roles:
        story += [
            Paragraph(_("PSKS"), st["h"]),
            grid(
                [_("Jenis"), _("Wilayah"), _("Nomor"), _("Aktif")],
                [
                    [
                        r.psks_type.name,
                        labels.get(r.area_id, r.area_id),
                        r.registration_number or "—",
                        _yes_no(r.active),
                    ]
                    for r in psks_roles
                ],
                [50 * mm, 60 * mm, 35 * mm, paper.width - 145 * mm],
            ),
        ]
    story += [
        Spacer(1, 8 * mm),
        signature_block(
            st, head, DocumentKind.PROFILE, width=paper.width, fallback_name=printed_by
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            esc(
                _(
                    "Dokumen ini memuat data pribadi. Simpan dan bagikan hanya untuk keperluan "
                    "layanan."
                )
            ),
            st["small"],
        ),
    ]
    return paper.build(story)
