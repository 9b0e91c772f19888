"""A copy of one person's data for their access request (UU 27/2022): the same content as JSON
(portable) and as a PDF on the office's letterhead (core.printing).

Only the person's own record leaves: their registry entry and household facts, their PPKS and
PSKS roles, the one-stop service's intakes, cases and referrals about them (a sensitive case by
its number, dates and state only: its details are told in person by the social worker), their
programmes and targeting results, consents, restrictions and requests. Other members of the
family, reporters, and staff are not named. Reads every row of the person (this is the office's
answer, not one user's view); ``actions.record_export`` checks who may make it and logs it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .holds import households_of

#: Fields of a person or a household that are the registry's own bookkeeping, not data about
#: the person (or that point to other people).
_SKIP = {"id", "uid", "created_at", "updated_at", "name_key", "merged_into", "household",
         "breadwinner", "quality_flags", "flagged", "village"}  # fmt: skip


def _value(obj: Any, field: Any) -> Any:
    if field.choices:
        return (
            getattr(obj, f"get_{field.name}_display")()
            if getattr(obj, field.attname)
            not in (
                None,
                "",
            )
            else None
        )
    value = getattr(obj, field.attname)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _fields(obj: Any, skip: set[str] = _SKIP) -> dict[str, Any]:
    return {f.name: _value(obj, f) for f in obj._meta.concrete_fields if f.name not in skip}


def _when(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def has_sensitive(person: Any) -> bool:
    """Whether the copy would carry a sensitive PPKS or a sensitive case."""
    from pandu.registry.models import PPKSAssignment
    from pandu.services.models import Intake

    return (
        PPKSAssignment.objects.filter(
            Q(person=person) | Q(household_id=person.household_id, household__isnull=False),
            category__sensitive=True,
        ).exists()
        or Intake.objects.filter(person=person, sensitive=True).exists()
    )


def _registry(person: Any) -> dict[str, Any]:
    from pandu.registry.models import Membership, PPKSAssignment, PSKSPerson

    household = person.household
    out: dict[str, Any] = {"person": _fields(person)}
    if household is not None:
        out["household"] = {
            **_fields(household),
            "village": f"{household.village.code} {household.village.name}",
        }
    out["memberships"] = [
        {
            "kk_number": m.household.kk_number,
            "relationship": m.get_relationship_display(),
            "started": _when(m.started),
            "ended": _when(m.ended),
            "reason": m.reason,
        }
        for m in Membership.objects.filter(person=person)
        .select_related("household")
        .order_by("started", "id")
    ]
    ppks = PPKSAssignment.objects.filter(
        Q(person=person)
        | Q(household_id=person.household_id, person__isnull=True, household__isnull=False)
    ).select_related("category")
    out["ppks"] = [
        {
            "category": f"{a.category.number}. {a.category.name}",
            "for": _("keluarga") if a.person_id is None else _("perorangan"),
            "identified_on": _when(a.identified_on),
            "source": a.get_source_display(),
            "active": a.active,
            "ended_on": _when(a.ended_on),
            "note": a.note,
        }
        for a in ppks.order_by("identified_on", "id")
    ]
    out["psks"] = [
        {
            "type": r.psks_type.name,
            "registration_number": r.registration_number,
            "started_on": _when(r.started_on),
            "active": r.active,
        }
        for r in PSKSPerson.objects.filter(person=person).select_related("psks_type")
    ]
    return out


def _services(person: Any) -> list[dict[str, Any]]:
    from pandu.services.models import Intake, Referral

    rows = []
    intakes = (
        Intake.objects.filter(person=person)
        .select_related("service_point", "case")
        .prefetch_related("needs")
        .order_by("received_at", "id")
    )
    for intake in intakes:
        case = getattr(intake, "case", None)
        row: dict[str, Any] = {
            "ticket_number": intake.ticket_number,
            "received_at": _when(intake.received_at),
            "service_point": intake.service_point.name,
            "status": intake.get_status_display(),
            "closed_at": _when(intake.closed_at),
        }
        if intake.sensitive or (case is not None and case.sensitive):
            row["sensitive"] = True
            row["note"] = _(
                "Rincian layanan yang sensitif disampaikan langsung oleh pekerja sosial yang "
                "menanganinya."
            )
            if case is not None:
                row["case"] = {
                    "status": case.get_status_display(),
                    "closed_at": _when(case.closed_at),
                }
            rows.append(row)
            continue
        row.update(
            {
                "kind": intake.get_kind_display(),
                "channel": intake.get_channel_display(),
                "needs": [n.get_area_display() for n in intake.needs.all()],
                "description": intake.description,
                "reported_by_someone_else": bool(intake.reporter_name),
                "resolution": intake.resolution,
            }
        )
        if case is not None:
            row["case"] = {
                "status": case.get_status_display(),
                "opened_at": _when(case.created_at),
                "plan_summary": case.plan_summary,
                "outcome": case.get_outcome_display() if case.outcome else "",
                "closure_summary": case.closure_summary,
                "closed_at": _when(case.closed_at),
                "referrals": [
                    {
                        "number": r.number,
                        "agency": r.agency.name,
                        "service": r.service.name,
                        "status": r.get_status_display(),
                        "sent_at": _when(r.sent_at),
                        "finished_at": _when(r.finished_at),
                        "consent": {
                            "given": r.consent_given,
                            "by": r.get_consent_by_display() if r.consent_by else "",
                            "method": r.get_consent_method_display() if r.consent_method else "",
                            "nik_shared": r.consent_share_nik,
                            "recorded_at": _when(r.consent_recorded_at),
                        },
                    }
                    for r in Referral.objects.filter(case=case)
                    .select_related("agency", "service")
                    .order_by("id")
                ],
            }
        rows.append(row)
    return rows


def _programmes(person: Any) -> dict[str, Any]:
    from pandu.programs.models import Enrolment, Participant
    from pandu.targeting.models import TargetingResult

    families = households_of(person)
    enrolments = (
        Enrolment.objects.filter(Q(household_id__in=families) | Q(recipient=person))
        .select_related("programme")
        .order_by("id")
    )
    results = (
        TargetingResult.objects.filter(household_id__in=families, run__status="committed")
        .select_related("run__programme", "run__ruleset")
        .order_by("run__committed_at", "run_id")
    )
    return {
        "enrolments": [
            {
                "programme": f"{e.programme.code} {e.programme.name}",
                "status": e.get_status_display(),
                "status_since": _when(e.status_since),
                "recipient": e.recipient_id == person.pk,
            }
            for e in enrolments
        ],
        "activities": [
            {
                "activity": p.activity.name,
                "attendance": p.get_attendance_display(),
            }
            for p in Participant.objects.filter(person=person).select_related("activity")
        ],
        "targeting": [
            {
                "programme": r.run.programme.code if r.run.programme_id else "",
                "rule": str(r.run.ruleset),
                "decided_at": _when(r.run.committed_at),
                "eligible": r.eligible,
                "desil": r.desil,
                "score": r.score,
            }
            for r in results
        ],
    }


def _privacy(person: Any) -> dict[str, Any]:
    from .models import ConsentRecord, Restriction, SubjectRequest

    return {
        "consents": [
            {
                "purpose": x.get_purpose_display(),
                "recipient": x.recipient,
                "scope": x.scope,
                "given_by": x.get_given_by_display(),
                "method": x.get_method_display(),
                "given_on": _when(x.given_on),
                "valid_until": _when(x.valid_until),
                "withdrawn_on": _when(x.withdrawn_on),
                "state": x.state_label,
            }
            for x in ConsentRecord.objects.filter(person=person).select_related(
                "programme", "organisation"
            )
        ],
        "restrictions": [
            {
                "since": _when(r.since),
                "until": _when(r.until),
                "reason": r.reason,
                "lifted_at": _when(r.lifted_at),
            }
            for r in Restriction.objects.filter(person=person)
        ],
        "requests": [
            {
                "number": r.number,
                "kind": r.get_kind_display(),
                "received_at": _when(r.received_at),
                "status": r.get_status_display(),
                "closed_at": _when(r.closed_at),
            }
            for r in SubjectRequest.objects.filter(person=person).order_by("received_at")
        ],
    }


def person_data(person: Any, *, request: Any = None) -> dict[str, Any]:
    from pandu.accounts.offices import letterhead_for

    head = letterhead_for(person.area_code)
    return {
        "about": {
            "controller": head.name,
            "generated_at": timezone.localtime().isoformat(timespec="minutes"),
            "request": request.number if request is not None else "",
            "legal_basis": _("Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi"),
        },
        **_registry(person),
        "services": _services(person),
        "programmes": _programmes(person),
        **_privacy(person),
    }


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


# --- The PDF --------------------------------------------------------------------------------

LABELS = {
    "person": _("Data penduduk"),
    "household": _("Data keluarga"),
    "memberships": _("Riwayat keanggotaan keluarga"),
    "ppks": _("PPKS"),
    "psks": _("Peran PSKS"),
    "services": _("Layanan (pengaduan, kasus, rujukan)"),
    "programmes": _("Program dan penetapan sasaran"),
    "consents": _("Persetujuan"),
    "restrictions": _("Pembatasan pemrosesan"),
    "requests": _("Permintaan subjek data"),
}


def _verbose(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name.replace("_", " ")


def _flat(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_flat(v) for v in value) or "—"
    return str(value)


def person_pdf(person: Any, data: dict[str, Any]) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from pandu.accounts.offices import letterhead_for
    from pandu.core import printing as p
    from pandu.registry.models import Household, Person

    head = letterhead_for(person.area_code)
    paper = p.Paper(head, _("Salinan data pribadi"))
    st = paper.st
    story = [*paper.top()]
    story.append(Paragraph(p.esc(_("SALINAN DATA PRIBADI")), st["title"]))
    about = data["about"]
    story.append(
        Paragraph(
            p.esc(
                _(
                    "Atas permintaan %(number)s, menurut %(law)s. Disusun %(when)s. Berisi data "
                    "yang kami simpan tentang Saudara; data anggota keluarga lain, pelapor dan "
                    "petugas tidak dicantumkan."
                )
                % {
                    "number": about["request"] or "—",
                    "law": about["legal_basis"],
                    "when": p.fmt_date(timezone.localtime(), time=True),
                }
            ),
            st["p"],
        )
    )
    widths = (60 * mm, paper.width - 60 * mm)
    for key, model in (("person", Person), ("household", Household)):
        if key in data:
            story.append(Paragraph(p.esc(LABELS[key]), st["h"]))
            story.append(
                p.kv_table([(_verbose(model, k), _flat(v)) for k, v in data[key].items()], widths)
            )
    lists = [
        ("memberships", data["memberships"]),
        ("ppks", data["ppks"]),
        ("psks", data["psks"]),
        ("services", data["services"]),
        ("programmes", [
            *data["programmes"]["enrolments"],
            *data["programmes"]["activities"],
            *data["programmes"]["targeting"],
        ]),
        ("consents", data["consents"]),
        ("restrictions", data["restrictions"]),
        ("requests", data["requests"]),
    ]  # fmt: skip
    for key, rows in lists:
        story.append(Paragraph(p.esc(LABELS[key]), st["h"]))
        if not rows:
            story.append(Paragraph(p.esc(_("Tidak ada.")), st["p"]))
            continue
        for row in rows:
            story.append(Paragraph(p.esc(_flat(row)), st["cell"]))
            story.append(Spacer(1, 1.5 * mm))
    story.append(Spacer(1, 6 * mm))
    story.append(p.signature_block(st, head, "privacy", width=paper.width))
    return paper.build(story)
