"""The families behind a finding, each with its KK number, head, village and the reason in
words. Reasons are read for a page (or a chunk of an export) at a time, a few queries per chunk
whatever its size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django.db import connection
from django.utils.translation import gettext as _

from pandu.regions.models import Area
from pandu.registry.choices import HouseholdStatus, PersonStatus, Relationship

from ..models import Enrolment
from ..models.enrolment import ApprovalStep, EnrolmentStatus
from .figures import (
    BEYOND_QUOTA,
    DECEASED,
    DUPLICATE,
    EXCLUSION,
    INCLUSION,
    MOVED,
    OVERLAP,
    Conditions,
    Subject,
    during,
    families_with,
    no_jit,
)

#: Families read at once when a whole finding is written out.
CHUNK = 5000


@dataclass
class Line:
    """One family of a finding, as the list and the spreadsheet show it."""

    household_id: int
    household_uid: UUID
    kk_number: str
    head: str
    village: str
    village_name: str
    recipient: str
    reason: str
    enrolment_uid: UUID | None = None
    since: date | None = None


def _day(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else _("tanggal tidak tercatat")


def _village_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=set(codes)).values_list("code", "name"))


def _heads(household_ids: Iterable[int]) -> dict[int, str]:
    """The head of each family: the active one, else the one recorded last."""
    from pandu.registry.models import Person

    heads: dict[int, tuple[bool, int, str]] = {}
    rows = Person.objects.filter(
        household_id__in=set(household_ids), relationship=Relationship.HEAD
    ).values_list("household_id", "pk", "status", "full_name")
    for household_id, pk, status, name in rows:
        key = (status == PersonStatus.ACTIVE, pk, name)
        if household_id not in heads or key[:2] > heads[household_id][:2]:
            heads[household_id] = key
    return {hid: value[2] for hid, value in heads.items()}


class Reasons:
    """The reason of each family of one finding, for a chunk of rows."""

    def __init__(
        self, subject: Subject, conditions: Conditions | None = None, *, whole: bool = False
    ) -> None:
        self.subject = subject
        self.conditions = conditions or Conditions(subject)
        # Writing a whole finding: the quota places are read once for all its families.
        self.whole = whole
        self._places: list[tuple] | None = None
        self._why: dict[tuple, str] = {}

    def of(self, key: str, records: Sequence[Any]) -> dict[int, str]:
        """``{row pk: reason}`` for ``records`` (enrolments, or families for the exclusion
        error)."""
        if not records:
            return {}
        return {
            DECEASED: self.deceased,
            MOVED: self.moved,
            DUPLICATE: self.duplicate,
            BEYOND_QUOTA: self.beyond_quota,
            INCLUSION: self.inclusion,
            OVERLAP: self.overlap,
            EXCLUSION: self.exclusion,
        }[key](records)

    def _members(self, household_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        from pandu.registry.models import Person

        members: dict[int, list[dict[str, Any]]] = defaultdict(list)
        rows = Person.objects.filter(household_id__in=set(household_ids)).values(
            "pk", "household_id", "full_name", "relationship", "status", "status_date"
        )
        for row in rows.order_by("pk"):
            members[row["household_id"]].append(dict(row))
        return members

    def _died(self, person: Any) -> bool:
        if isinstance(person, dict):
            status, on = person["status"], person["status_date"]
        else:
            status, on = person.status, person.status_date
        return status == PersonStatus.DECEASED and (on is None or on <= self.subject.end)

    def deceased(self, records: Sequence[Any]) -> dict[int, str]:
        members = self._members(r.household_id for r in records)
        out: dict[int, str] = {}
        for r in records:
            family = members.get(r.household_id, [])
            parts = []
            if r.recipient is not None and self._died(r.recipient):
                parts.append(
                    _("Penerima %(name)s meninggal %(date)s")
                    % {"name": r.recipient.full_name, "date": _day(r.recipient.status_date)}
                )
            dead = [m for m in family if self._died(m)]
            if dead and not any(m["status"] == PersonStatus.ACTIVE for m in family):
                names = ", ".join(f"{m['full_name']} ({_day(m['status_date'])})" for m in dead)
                parts.append(
                    _("Tidak ada lagi anggota keluarga yang aktif; yang meninggal: %(names)s")
                    % {"names": names}
                )
            elif r.recipient is None:
                heads = [m for m in dead if m["relationship"] == Relationship.HEAD]
                if heads:
                    parts.append(
                        _("Kepala keluarga %(name)s meninggal %(date)s; belum ada pengganti")
                        % {"name": heads[-1]["full_name"], "date": _day(heads[-1]["status_date"])}
                    )
            out[r.pk] = "; ".join(parts)
        return out

    def moved(self, records: Sequence[Any]) -> dict[int, str]:
        from pandu.registry.models import Household

        area = self.subject.area
        names = _village_names([r.household.village_id for r in records] + [area])
        elsewhere = {
            r.recipient.household_id
            for r in records
            if r.recipient is not None and r.recipient.household_id != r.household_id
        }
        kk_of = dict(
            Household.objects.filter(pk__in={h for h in elsewhere if h}).values_list(
                "pk", "kk_number"
            )
        )
        out: dict[int, str] = {}
        for r in records:
            h, parts = r.household, []
            if h.status == HouseholdStatus.MOVED:
                parts.append(_("Keluarga berstatus pindah wilayah di registri"))
            elif h.status == HouseholdStatus.DISSOLVED:
                parts.append(_("Keluarga berstatus bubar/tidak aktif di registri"))
            if area and not h.village_id.startswith(area):
                parts.append(
                    _("Kini tinggal di %(village)s (%(code)s), di luar %(area)s")
                    % {
                        "village": names.get(h.village_id, h.village_id),
                        "code": h.village_id,
                        "area": names.get(area, area),
                    }
                )
            p = r.recipient
            if p is not None and p.status == PersonStatus.MOVED:
                parts.append(
                    _("Penerima %(name)s pindah %(date)s")
                    % {"name": p.full_name, "date": _day(p.status_date)}
                )
            elif p is not None and p.status == PersonStatus.ACTIVE and p.household_id != h.pk:
                parts.append(
                    _("Penerima %(name)s kini anggota keluarga lain (KK %(kk)s)")
                    % {"name": p.full_name, "kk": kk_of.get(p.household_id or 0, "—")}
                )
            out[r.pk] = "; ".join(parts)
        return out

    def duplicate(self, records: Sequence[Any]) -> dict[int, str]:
        from django.db.models import Q

        from pandu.dedup.models import DuplicatePair, PairStatus
        from pandu.registry.models import Person

        household_of = dict(
            Person.objects.filter(household_id__in={r.household_id for r in records}).values_list(
                "pk", "household_id"
            )
        )
        pairs = DuplicatePair.objects.filter(
            Q(person_a_id__in=household_of) | Q(person_b_id__in=household_of),
            status__in=[PairStatus.OPEN, PairStatus.CONFIRMED],
        ).values(
            "person_a_id",
            "person_b_id",
            "status",
            "person_a__full_name",
            "person_b__full_name",
            "person_a__household__kk_number",
            "person_b__household__kk_number",
        )
        labels = dict(PairStatus.choices)
        found: dict[int, list[str]] = defaultdict(list)
        for row in pairs.order_by("pk"):
            pair: dict[str, Any] = dict(row)
            for me, other in (("a", "b"), ("b", "a")):
                household = household_of.get(pair[f"person_{me}_id"])
                if household is None:
                    continue
                found[household].append(
                    _("%(name)s mungkin sama dengan %(other)s (KK %(kk)s): %(status)s")
                    % {
                        "name": pair[f"person_{me}__full_name"],
                        "other": pair[f"person_{other}__full_name"],
                        "kk": pair[f"person_{other}__household__kk_number"] or "—",
                        "status": str(labels.get(pair["status"], pair["status"])).lower(),
                    }
                )
        return {r.pk: "; ".join(found.get(r.household_id, [])) for r in records}

    def beyond_quota(self, records: Sequence[Any]) -> dict[int, str]:
        found = self.conditions.beyond_quota_sql()
        if found is None:
            return {}
        sql, params = found
        ids = [r.pk for r in records]
        if self.whole and self._places is not None:
            wanted = set(ids)
            places = [p for p in self._places if p[0] in wanted]
        else:
            where, where_params = "", list(params)
            if not self.whole:
                where = f"WHERE b.id IN ({', '.join(['%s'] * len(ids))})"
                where_params += ids
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT b.id, b._rank, b._quota, b._qa FROM ({sql}) b {where}",  # noqa: S608
                    where_params,
                )
                places = cursor.fetchall()
            if self.whole:
                self._places = places
                wanted = set(ids)
                places = [p for p in places if p[0] in wanted]
        names = dict(
            Area.objects.filter(code__in={p[3] for p in places}).values_list("code", "name")
        )
        since = {r.pk: r.enrolled_on for r in records}
        out: dict[int, list[str]] = defaultdict(list)
        for pk, rank, quota, code in sorted(places, key=lambda p: (p[0], len(p[3]))):
            out[pk].append(
                _("Urutan ke-%(rank)s di %(area)s yang kuotanya %(quota)s; KPM sejak %(date)s")
                % {
                    "rank": rank,
                    "area": names.get(code, code),
                    "quota": quota,
                    "date": _day(since.get(pk)),
                }
            )
        return {pk: "; ".join(parts) for pk, parts in out.items()}

    def _results(self, villages: dict[int, str]) -> tuple[dict[int, Any], dict[int, Any]]:
        """The deciding run of each family and its result there."""
        from pandu.targeting.models import TargetingResult, TargetingRun

        run_of = {hid: self.conditions.run_of(v) for hid, v in villages.items()}
        runs = {
            r.pk: r
            for r in TargetingRun.objects.filter(
                pk__in={r for r in run_of.values() if r}
            ).select_related("ruleset", "pmt_model")
        }
        results = {}
        wanted = {(run, hid) for hid, run in run_of.items() if run}
        rows = TargetingResult.objects.filter(
            run_id__in=runs, household_id__in=[hid for _run, hid in wanted]
        )
        for result in rows:
            if (result.run_id, result.household_id) in wanted:
                results[result.household_id] = result
        return runs, results

    def _run_name(self, run) -> str:
        return _("penetapan %(id)s (%(date)s, aturan %(rule)s)") % {
            "id": str(run.uid)[:8],
            "date": _day(run.committed_at.date() if run.committed_at else None),
            "rule": str(run.ruleset),
        }

    def inclusion(self, records: Sequence[Any]) -> dict[int, str]:
        from pandu.targeting.explain import reasons

        runs, results = self._results({r.household_id: r.household.village_id for r in records})
        out: dict[int, str] = {}
        for r in records:
            result = results.get(r.household_id)
            if result is None:
                continue
            key = (result.run_id, result.failed_mask, result.missing_mask)
            if key not in self._why:
                run = runs[result.run_id]
                why = reasons(run, result.failed_mask, result.missing_mask)
                text = _("Tidak layak menurut %(run)s") % {"run": self._run_name(run)}
                self._why[key] = f"{text}: {why}" if why else text
            out[r.pk] = self._why[key]
        return out

    def overlap(self, records: Sequence[Any]) -> dict[int, str]:
        pid = self.subject.programme.pk
        areas: dict[int, list[str | None]] = defaultdict(list)
        for pair in self.conditions.overlaps:
            areas[pair.other_than(pid)].append(pair.area_id)
        others = (
            Enrolment.objects.filter(
                household_id__in={r.household_id for r in records}, programme_id__in=areas
            )
            .filter(during(self.subject.start, self.subject.end))
            .values_list("household_id", "programme_id", "programme__code", "enrolled_on")
            .order_by("programme__code", "pk")
        )
        found: dict[int, list[tuple[int, str, date | None]]] = defaultdict(list)
        for household_id, programme_id, code, since in others:
            found[household_id].append((programme_id, code, since))
        out: dict[int, str] = {}
        for r in records:
            parts = [
                _("Juga KPM %(code)s sejak %(date)s") % {"code": code, "date": _day(since)}
                for programme_id, code, since in found.get(r.household_id, [])
                if any(a is None or r.area_code.startswith(a) for a in areas[programme_id])
            ]
            out[r.pk] = "; ".join(parts)
        return out

    def exclusion(self, records: Sequence[Any]) -> dict[int, str]:
        runs, results = self._results({h.pk: h.village_id for h in records})
        latest: dict[int, Enrolment] = {}
        for enrolment in Enrolment.objects.filter(
            programme=self.subject.programme, household_id__in=[h.pk for h in records]
        ).order_by("pk"):
            latest[enrolment.household_id] = enrolment
        out: dict[int, str] = {}
        for h in records:
            result = results.get(h.pk)
            parts = []
            if result is not None:
                text = _("Layak menurut %(run)s") % {"run": self._run_name(runs[result.run_id])}
                if result.desil:
                    text += "; " + _("desil %(desil)s") % {"desil": result.desil}
                parts.append(text)
            e = latest.get(h.pk)
            if e is None:
                parts.append(_("belum pernah menjadi calon KPM program ini"))
            elif e.status == EnrolmentStatus.CANDIDATE:
                parts.append(_("masih calon: %(step)s") % {"step": e.get_step_display().lower()})
            elif e.step == ApprovalStep.REJECTED:
                parts.append(_("calon ditolak: %(reason)s") % {"reason": e.status_reason or "—"})
            elif e.status in (EnrolmentStatus.GRADUATED, EnrolmentStatus.EXITED):
                parts.append(
                    _("%(status)s sejak %(date)s: %(reason)s")
                    % {
                        "status": e.get_status_display(),
                        "date": _day(e.status_since),
                        "reason": e.status_reason or "—",
                    }
                )
            else:
                parts.append(
                    _("KPM sejak %(date)s di luar periode laporan") % {"date": _day(e.enrolled_on)}
                )
            out[h.pk] = "; ".join(parts)
        return out


# --- Rows for pages and spreadsheets ---------------------------------------------------------

_KPM = (
    "pk",
    "uid",
    "household_id",
    "area_code",
    "enrolled_on",
    "household__uid",
    "household__kk_number",
    "household__village_id",
    "household__status",
    "recipient_id",
    "recipient__full_name",
    "recipient__status",
    "recipient__status_date",
    "recipient__household_id",
)


def _load(key: str, pks: Sequence[int]) -> list[Any]:
    """The rows ``pks`` of a finding as light objects with what the reasons read (the
    attributes of an enrolment and its family and recipient, or of a family), in that order;
    a spreadsheet of many thousand rows builds no model instances."""
    from pandu.registry.models import Household

    found: dict[int, Any] = {}
    if key == EXCLUSION:
        rows = Household.objects.filter(pk__in=pks).values_list(
            "pk", "uid", "kk_number", "village_id"
        )
        for pk, uid, kk, village in rows:
            found[pk] = SimpleNamespace(pk=pk, uid=uid, kk_number=kk, village_id=village)
    else:
        for row in Enrolment.objects.filter(pk__in=pks).values_list(*_KPM):
            v = dict(zip(_KPM, row, strict=True))
            household = SimpleNamespace(
                pk=v["household_id"],
                uid=v["household__uid"],
                kk_number=v["household__kk_number"],
                village_id=v["household__village_id"],
                status=v["household__status"],
            )
            recipient = None
            if v["recipient_id"] is not None:
                recipient = SimpleNamespace(
                    pk=v["recipient_id"],
                    full_name=v["recipient__full_name"],
                    status=v["recipient__status"],
                    status_date=v["recipient__status_date"],
                    household_id=v["recipient__household_id"],
                )
            found[v["pk"]] = SimpleNamespace(
                pk=v["pk"],
                uid=v["uid"],
                household_id=v["household_id"],
                area_code=v["area_code"],
                enrolled_on=v["enrolled_on"],
                household=household,
                recipient=recipient,
            )
    return [found[pk] for pk in pks if pk in found]


def ordered(subject: Subject, key: str):
    """The rows of a finding in the order lists and spreadsheets show them."""
    rows = families_with(subject, key)
    if key == EXCLUSION:
        return rows.order_by("village_id", "kk_number")
    return rows.order_by("area_code", "household__kk_number", "pk")


def lines(subject: Subject, key: str, rows: Sequence[Any], reasons: Reasons | None = None):
    """The :class:`Line` of each row (enrolments, or families for the exclusion error; model
    instances or their primary keys), in their order."""
    reasons = reasons or Reasons(subject)
    records = _load(key, [getattr(r, "pk", r) for r in rows])
    why = reasons.of(key, records)
    if key == EXCLUSION:
        heads = _heads(h.pk for h in records)
        names = _village_names(h.village_id for h in records)
        return [
            Line(
                household_id=h.pk,
                household_uid=h.uid,
                kk_number=h.kk_number,
                head=heads.get(h.pk, ""),
                village=h.village_id,
                village_name=names.get(h.village_id, h.village_id),
                recipient="",
                reason=why.get(h.pk, ""),
            )
            for h in records
        ]
    heads = _heads(e.household_id for e in records)
    names = _village_names(e.area_code for e in records)
    return [
        Line(
            household_id=e.household_id,
            household_uid=e.household.uid,
            kk_number=e.household.kk_number,
            head=heads.get(e.household_id, ""),
            village=e.area_code,
            village_name=names.get(e.area_code, e.area_code),
            recipient=e.recipient.full_name if e.recipient is not None else "",
            reason=why.get(e.pk, ""),
            enrolment_uid=e.uid,
            since=e.enrolled_on,
        )
        for e in records
    ]


def all_lines(
    subject: Subject,
    key: str,
    conditions: Conditions | None = None,
    ids: Sequence[int] | None = None,
) -> Iterator[Line]:
    """Every family of a finding (the rows ``ids`` when given, in list order), read a chunk at
    a time (for spreadsheets)."""
    reasons = Reasons(subject, conditions, whole=True)
    if ids is None:
        with no_jit():
            ids = list(ordered(subject, key).values_list("pk", flat=True))
    for at in range(0, len(ids), CHUNK):
        with no_jit():
            found = lines(subject, key, ids[at : at + CHUNK], reasons)
        yield from found
