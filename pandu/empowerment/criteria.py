"""Whether a family meets its programme's graduation criteria, each with the family's value.

Criteria are read for the family's village (the nearest area that sets any, else the national
ones). Required criteria must all be met; of the others at least one, when there are any. A
value the registry does not hold (no desil, no income) is not met, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .choices import CriterionKind
from .dates import months_between
from .models import GraduationCriterion, GraduationPlan


def _rupiah(value) -> str:
    return f"Rp {number_format(value, 0, force_grouping=True)}"


def describe(criterion: GraduationCriterion) -> str:
    """The criterion in a sentence: "Desil di atas 4"."""
    n = criterion.threshold
    if criterion.kind == CriterionKind.DESIL_ABOVE:
        return _("Desil di atas %(n)s") % {"n": n}
    if criterion.kind == CriterionKind.INCOME_ABOVE:
        return _("Pendapatan per bulan di atas %(amount)s") % {"amount": _rupiah(n or 0)}
    if criterion.kind == CriterionKind.BUSINESS_MONTHS:
        return _("Usaha berjalan paling sedikit %(n)s bulan") % {"n": n}
    return _("Keluarga menyatakan diri mampu")


@dataclass
class Check:
    criterion: GraduationCriterion
    label: str
    met: bool
    value: str

    @property
    def required(self) -> bool:
        return self.criterion.required


@dataclass
class Assessment:
    checks: list[Check] = field(default_factory=list)

    @property
    def configured(self) -> bool:
        return bool(self.checks)

    @property
    def passed(self) -> bool:
        if not self.checks:
            return False
        required = [c for c in self.checks if c.required]
        optional = [c for c in self.checks if not c.required]
        return all(c.met for c in required) and (not optional or any(c.met for c in optional))

    def shortfalls(self) -> list[str]:
        """What keeps the family from graduating, in sentences."""
        out = [
            _("%(label)s belum terpenuhi (%(value)s).") % {"label": c.label, "value": c.value}
            for c in self.checks
            if c.required and not c.met
        ]
        optional = [c for c in self.checks if not c.required]
        if optional and not any(c.met for c in optional):
            out.append(
                _("Belum ada satu pun dari kriteria pilihan yang terpenuhi: %(list)s.")
                % {"list": "; ".join(c.label for c in optional)}
            )
        return out


def _check(criterion: GraduationCriterion, plan: GraduationPlan, on: date) -> Check:
    household = plan.enrolment.household
    label = describe(criterion)
    n = criterion.threshold or 0
    if criterion.kind == CriterionKind.DESIL_ABOVE:
        desil = household.desil
        value = _("desil %(n)s") % {"n": desil} if desil else _("desil belum ada di registri")
        return Check(criterion, label, desil is not None and desil > n, value)
    if criterion.kind == CriterionKind.INCOME_ABOVE:
        income = household.income_monthly
        value = _rupiah(income) if income is not None else _("pendapatan belum ada di registri")
        return Check(criterion, label, income is not None and income > n, value)
    if criterion.kind == CriterionKind.BUSINESS_MONTHS:
        start = plan.business_started_on
        if start is None:
            return Check(criterion, label, False, _("tanggal mulai usaha belum diisi"))
        months = months_between(start, on)
        return Check(criterion, label, months >= n, _("%(n)s bulan") % {"n": months})
    declared = plan.self_declared_on
    value = (
        _("menyatakan pada %(date)s") % {"date": declared.strftime("%d-%m-%Y")}
        if declared
        else _("belum ada pernyataan")
    )
    return Check(criterion, label, declared is not None and declared <= on, value)


def assess(plan: GraduationPlan, on: date | None = None) -> Assessment:
    on = on or timezone.localdate()
    criteria = GraduationCriterion.objects.for_place(
        plan.enrolment.programme_id, plan.area_code
    ).order_by("-required", "kind")
    return Assessment([_check(c, plan, on) for c in criteria])
