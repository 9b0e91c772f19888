"""The findings of the targeting-accuracy report as conditions over sets, computed in SQL.

Each finding is one condition over a programme's KPM (an :class:`~pandu.programs.models.Enrolment`
row per family) or, for the exclusion error, over the area's families; the report is one grouped
statement over the KPM with a column per finding and one over the eligible families, by sub-area.
Lists are the same conditions used as filters. Nothing here loops over families in Python.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from pandu.core.querysets import area_ancestors
from pandu.registry.choices import HouseholdStatus, PersonStatus, Relationship

from ..models import Enrolment, EnrolmentQuota, Programme, ProgrammeOverlap
from ..models.enrolment import EnrolmentStatus

# --- What the report shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One finding: its key (also its address in URLs), its column in the statements, the
    name and the definition a head of office reads, and whether it counts KPM (all but the
    exclusion error, which counts families that are not KPM)."""

    key: str
    column: str
    label: Any
    short: Any  # a column heading, a sheet name (at most 31 characters)
    definition: Any
    of_kpm: bool = True


DECEASED = "meninggal"
MOVED = "pindah"
DUPLICATE = "ganda"
BEYOND_QUOTA = "melebihi-kuota"
INCLUSION = "tidak-layak"
OVERLAP = "tumpang-tindih"
EXCLUSION = "layak-belum-kpm"

FIGURES: tuple[Figure, ...] = (
    Figure(
        DECEASED,
        "f_dead",
        _("Meninggal"),
        _("Meninggal"),
        _(
            "KPM yang penerima manfaatnya tercatat meninggal di registri sampai akhir periode; "
            "bila penerima tidak tercatat, kepala keluarganya (tanpa kepala keluarga pengganti "
            "yang aktif); atau yang seluruh anggotanya tidak lagi aktif dan ada yang meninggal."
        ),
    ),
    Figure(
        MOVED,
        "f_moved",
        _("Pindah keluar wilayah"),
        _("Pindah"),
        _(
            "KPM yang keluarganya berstatus pindah wilayah atau bubar di registri, yang alamatnya "
            "kini di luar wilayah laporan, atau yang penerimanya pindah (berstatus pindah sampai "
            "akhir periode, atau kini anggota keluarga lain)."
        ),
    ),
    Figure(
        DUPLICATE,
        "f_dup",
        _("Data ganda"),
        _("Data ganda"),
        _(
            "KPM yang salah satu anggotanya ada dalam pasangan data ganda hasil deduplikasi yang "
            "masih menunggu pemeriksaan atau sudah dikonfirmasi ganda."
        ),
    ),
    Figure(
        BEYOND_QUOTA,
        "f_quota",
        _("Melebihi kuota"),
        _("Melebihi kuota"),
        _(
            "KPM yang menjadi KPM setelah kuota program di wilayahnya (desa, kecamatan, "
            "kabupaten atau provinsi) terisi: diurutkan menurut tanggal menjadi KPM di antara "
            "KPM periode ini di wilayah kuota, urutan di atas kuota."
        ),
    ),
    Figure(
        INCLUSION,
        "f_incl",
        _("Tidak layak lagi (salah masuk)"),
        _("Tidak layak lagi"),
        _(
            "KPM yang dinyatakan tidak layak oleh penetapan sasaran terbaru program ini yang "
            "sudah ditetapkan untuk wilayah tempat tinggalnya."
        ),
    ),
    Figure(
        OVERLAP,
        "f_overlap",
        _("Tumpang tindih program"),
        _("Tumpang tindih"),
        _(
            "KPM yang pada periode yang sama juga KPM program lain yang ditetapkan tumpang "
            "tindih dengan program ini untuk wilayahnya."
        ),
    ),
    Figure(
        EXCLUSION,
        "f_excl",
        _("Layak tetapi belum KPM (salah keluar)"),
        _("Layak belum KPM"),
        _(
            "Keluarga aktif di wilayah laporan yang dinyatakan layak oleh penetapan sasaran "
            "terbaru yang sudah ditetapkan, tetapi bukan KPM program ini pada periode laporan."
        ),
        of_kpm=False,
    ),
)
BY_KEY = {f.key: f for f in FIGURES}
KPM_FIGURES = tuple(f for f in FIGURES if f.of_kpm)

#: The length of the codes one level below an area's (the whole country, a province, a
#: regency, a district); a village has no level below it.
NEXT_LEVEL = {0: 2, 2: 5, 5: 8, 8: 13}

KPM_STATUSES = (
    EnrolmentStatus.ACTIVE,
    EnrolmentStatus.SUSPENDED,
    EnrolmentStatus.GRADUATED,
    EnrolmentStatus.EXITED,
)
HOLDING = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


def next_level(code: str) -> int:
    return NEXT_LEVEL.get(len(code), len(code))


@contextmanager
def no_jit():
    """The report's statements without PostgreSQL's JIT compiler: their estimated cost (one
    correlated look-up per KPM) makes PostgreSQL compile them, which takes seconds longer than
    running them. Inside a transaction, for the statements run within (a no-op elsewhere)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


# --- Whose report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A report's programme, area (a dotted code prefix; ``""`` is the whole country) and
    period. ``households`` is a cycle's KPM (a queryset of household ids); without it the KPM
    are the programme's enrolments that were active or suspended during the period."""

    programme: Programme
    area: str
    start: date
    end: date
    households: QuerySet | None = None
    cycle: Any = None  # the payment cycle whose families ``households`` are, if any

    def within(self, area: str) -> Subject:
        """The same report for ``area`` (a sub-area)."""
        return replace(self, area=area)


def during(start: date, end: date) -> Q:
    """Enrolments that were KPM (active or suspended) at some time between ``start`` and
    ``end``: decreed by the end, and still holding or left on or after the start."""
    return Q(enrolled_on__isnull=False, enrolled_on__lte=end) & (
        Q(status__in=HOLDING)
        | Q(status__in=[EnrolmentStatus.GRADUATED, EnrolmentStatus.EXITED], status_since__gte=start)
    )


def _kpm_rows(subject: Subject, programme_id: int) -> tuple[QuerySet, Q]:
    rows = Enrolment.objects.filter(programme_id=programme_id)
    if subject.households is not None and programme_id == subject.programme.pk:
        kept = Q(enrolled_on__isnull=False, status__in=KPM_STATUSES)
        return rows.filter(kept, household_id__in=subject.households), kept
    kept = during(subject.start, subject.end)
    return rows.filter(kept), kept


def kpm(subject: Subject, *, area: str | None = None, programme_id: int | None = None):
    """The KPM of the report, one enrolment per family (the latest when a family left and
    came back within the period), inside ``area`` (the report's by default) by the village
    where the family was enrolled."""
    pid = subject.programme.pk if programme_id is None else programme_id
    rows: Any
    rows, kept = _kpm_rows(subject, pid)
    later = Enrolment.objects.filter(
        kept, programme_id=pid, household_id=OuterRef("household_id"), pk__gt=OuterRef("pk")
    )
    rows = rows.filter(Q(status__in=HOLDING) | ~Exists(later)).order_by()
    return rows.in_area(subject.area if area is None else area)


def kpm_households(subject: Subject, programme_id: int | None = None) -> QuerySet:
    """Ids of the families that are KPM of the programme in the period, wherever they are."""
    return kpm(subject, area="", programme_id=programme_id).values("household_id")


# --- The conditions ----------------------------------------------------------------------------


def _died_by(end: date, prefix: str = "") -> Q:
    dated = Q(**{f"{prefix}status_date__lte": end}) | Q(**{f"{prefix}status_date__isnull": True})
    return Q(**{f"{prefix}status": PersonStatus.DECEASED}) & dated


class Conditions:
    """The finding conditions of one report, as ``Q`` objects over :func:`kpm` annotated with
    :meth:`annotate` (the inclusion error reads the ``_run`` it adds)."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject

    # --- the targeting runs the report reads ---

    @cached_property
    def runs(self) -> list[tuple[int, str]]:
        """(id, area) of the committed runs of the programme that decide for some family of
        the area, newest first; a run whose whole area a newer run covers is left out."""
        from pandu.targeting.models import TargetingRun

        area = self.subject.area
        runs = TargetingRun.objects.committed().filter(programme=self.subject.programme)
        if area:
            runs = runs.filter(
                Q(area_code__in=[*area_ancestors(area), area]) | Q(area_code__prefix=area)
            )
        kept: list[tuple[int, str]] = []
        for pk, code in runs.order_by("-committed_at", "-id").values_list("id", "area_code"):
            if not any(code.startswith(newer) for _pk, newer in kept):
                kept.append((pk, code))
        return kept

    def run_of(self, village: str) -> int | None:
        """The run that decides for a family of ``village`` (as :meth:`run_case` does in SQL)."""
        for pk, code in self.runs:
            if village.startswith(code):
                return pk
        return None

    def run_case(self, village_path: str):
        """The deciding run of each row's family: the newest committed run whose area holds
        its village."""
        if not self.runs:
            return Value(None, output_field=IntegerField())
        whens = [
            When(Q(**{f"{village_path}__prefix": code}), then=Value(pk)) for pk, code in self.runs
        ]
        return Case(*whens, default=Value(None), output_field=IntegerField())

    def annotate(self, rows: QuerySet) -> QuerySet:
        return rows.annotate(_run=self.run_case("household__village_id"))

    # --- each finding ---

    def deceased(self) -> Q:
        from pandu.registry.models import Person

        end = self.subject.end
        members = Person.objects.filter(household_id=OuterRef("household_id"))
        # One pass over the registry's dead; the family's own members only where it matters.
        some_died = Q(household_id__in=Person.objects.filter(_died_by(end)).values("household_id"))
        head_died = Exists(members.filter(_died_by(end), relationship=Relationship.HEAD))
        head_replaced = Exists(members.filter(relationship=Relationship.HEAD, status="active"))
        anyone_left = Exists(members.filter(status=PersonStatus.ACTIVE))
        return _died_by(end, "recipient__") | (
            some_died & (~anyone_left | (Q(recipient__isnull=True) & head_died & ~head_replaced))
        )

    def moved(self, *, sub_level: bool = False) -> Q:
        """Moved out of the report's area; with ``sub_level``, out of the sub-area the row is
        counted in (the rows need :meth:`annotate_sub`)."""
        end = self.subject.end
        left = Q(household__status__in=[HouseholdStatus.MOVED, HouseholdStatus.DISSOLVED])
        recipient_moved = Q(recipient__status=PersonStatus.MOVED) & (
            Q(recipient__status_date__lte=end) | Q(recipient__status_date__isnull=True)
        )
        recipient_elsewhere = (
            Q(recipient__isnull=False)
            & Q(recipient__status=PersonStatus.ACTIVE)
            & ~Q(recipient__household_id=F("household_id"))
        )
        found = left | recipient_moved | recipient_elsewhere
        if self.subject.area:
            found |= ~Q(household__village_id__prefix=self.subject.area)
        if sub_level:
            found |= ~Q(_hsub=F("_sub"))
        return found

    def duplicate(self) -> Q:
        from pandu.dedup.models import DuplicatePair, PairStatus
        from pandu.registry.models import Person

        pairs = DuplicatePair.objects.filter(status__in=[PairStatus.OPEN, PairStatus.CONFIRMED])
        people = Person.objects.filter(
            Q(pk__in=pairs.values("person_a")) | Q(pk__in=pairs.values("person_b"))
        )
        return Q(household_id__in=people.values("household_id"))

    @cached_property
    def quota_lengths(self) -> list[int]:
        """Code lengths of the quotas that bear on the area (around it or inside it)."""
        codes = self.quotas().values_list("area_id", flat=True)
        return sorted({len(code) for code in codes})

    def quotas(self) -> QuerySet:
        area = self.subject.area
        quotas = EnrolmentQuota.objects.filter(programme=self.subject.programme)
        if area:
            quotas = quotas.filter(
                Q(area_id__in=[*area_ancestors(area), area]) | Q(area__prefix=area)
            )
        return quotas

    def ranked_sql(self, length: int) -> tuple[str, list]:
        """``SELECT id, _rank, _quota, _qa``: the KPM under the quotas of one level, each with
        its place (``_rank``, by the date it became KPM) among the KPM of its quota's area
        (``_qa``) and that quota (``_quota``)."""
        q = connection.ops.quote_name
        area = self.subject.area
        within = area[:length] if length < len(area) else area
        # Ranked first, each row's quota looked up after (an index probe per row): a join of
        # the KPM with the quotas, or a semi-join, is planned as a loop over both on PostgreSQL.
        rows = (
            kpm(self.subject, area=within)
            .annotate(_qa=Substr("area_code", 1, length))
            .values("id", "_qa", "enrolled_on")
        )
        sql, params = rows.query.sql_with_params()
        quotas = q(EnrolmentQuota._meta.db_table)
        place = f"ROW_NUMBER() OVER (PARTITION BY k._qa ORDER BY k.{q('enrolled_on')}, k.{q('id')})"
        quota = (
            f"SELECT u.{q('quota')} FROM {quotas} u "  # noqa: S608
            f"WHERE u.{q('programme_id')} = %s AND u.{q('area_id')} = r._qa"
        )
        return (
            f"SELECT r.id AS id, r._rank AS _rank, ({quota}) AS _quota, r._qa AS _qa FROM ("  # noqa: S608
            f"SELECT k.{q('id')} AS id, k._qa AS _qa, {place} AS _rank FROM ({sql}) k) r",
            [self.subject.programme.pk, *params],
        )

    def beyond_quota_sql(self) -> tuple[str, list] | None:
        """``SELECT id, _rank, _quota, _qa`` of the KPM placed beyond a quota (a family beyond
        two quotas is there twice); ``None`` without quotas."""
        parts, params = [], []
        for length in self.quota_lengths:
            sql, part_params = self.ranked_sql(length)
            alias = f"q{length}"
            parts.append(f"SELECT * FROM ({sql}) {alias} WHERE {alias}._rank > {alias}._quota")  # noqa: S608
            params += list(part_params)
        if not parts:
            return None
        return " UNION ALL ".join(parts), params

    def beyond_quota(self) -> Q:
        found = self.beyond_quota_sql()
        if found is None:
            return Q(pk__in=[])
        sql, params = found
        beyond = f"SELECT b.id FROM ({sql}) b"  # noqa: S608
        return Q(pk__in=RawSQL(beyond, params))  # noqa: S611

    def inclusion(self) -> Q:
        from pandu.targeting.models import TargetingResult

        if not self.runs:
            return Q(pk__in=[])
        return Q(
            Exists(
                TargetingResult.objects.filter(
                    run_id=OuterRef("_run"), household_id=OuterRef("household_id"), eligible=False
                )
            )
        )

    @cached_property
    def overlaps(self) -> list[ProgrammeOverlap]:
        """The overlap pairs of the programme in force somewhere in the area."""
        pid = self.subject.programme.pk
        return list(
            ProgrammeOverlap.objects.active()
            .filter(Q(programme_id=pid) | Q(other_id=pid))
            .holding_in(self.subject.area)
            .select_related("programme", "other", "area")
        )

    def overlap(self) -> Q:
        pid = self.subject.programme.pk
        by_other: dict[int, list[str | None]] = {}
        for pair in self.overlaps:
            by_other.setdefault(pair.other_than(pid), []).append(pair.area_id)
        found = Q(pk__in=[])
        for other, areas in by_other.items():
            where = Q()
            if None not in areas:
                where = Q(pk__in=[])
                for code in areas:
                    where |= Q(area_code__prefix=code)
            found |= where & Q(household_id__in=kpm_households(self.subject, other))
        return found

    def of(self, key: str) -> Q:
        return {
            DECEASED: self.deceased,
            MOVED: self.moved,
            DUPLICATE: self.duplicate,
            BEYOND_QUOTA: self.beyond_quota,
            INCLUSION: self.inclusion,
            OVERLAP: self.overlap,
        }[key]()

    # --- the exclusion error ---

    def eligible_families(self) -> QuerySet:
        """The area's active families that the deciding run found eligible."""
        from pandu.registry.models import Household
        from pandu.targeting.models import TargetingResult

        if not self.runs:
            return Household.objects.none()
        result = TargetingResult.objects.filter(
            run_id=OuterRef("_run"), household_id=OuterRef("pk"), eligible=True
        )
        return (
            Household.objects.filter(status=HouseholdStatus.ACTIVE)
            .in_area(self.subject.area)
            .annotate(_run=self.run_case("village_id"))
            .filter(_run__isnull=False)
            .filter(Exists(result))
        )

    def not_kpm(self) -> Q:
        if self.subject.households is not None:
            return ~Q(pk__in=self.subject.households)
        return ~Q(pk__in=kpm_households(self.subject))

    def excluded(self) -> QuerySet:
        return self.eligible_families().filter(self.not_kpm())


# --- The lists ---------------------------------------------------------------------------------


def kpm_with(subject: Subject, key: str) -> QuerySet:
    """The KPM of the report with the finding ``key``."""
    conditions = Conditions(subject)
    return conditions.annotate(kpm(subject)).filter(conditions.of(key))


def families_with(subject: Subject, key: str) -> QuerySet:
    """The rows of a finding: KPM (enrolments) or, for the exclusion error, families."""
    if key == EXCLUSION:
        return Conditions(subject).excluded()
    return kpm_with(subject, key)
