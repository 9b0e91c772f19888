"""Every write of targeting: rule and PMT versions, runs (computed in SQL), commits, appeals."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import engine, pmt, rules
from .capabilities import TCap
from .models import Appeal, PMTModel, RuleSet, TargetingResult, TargetingRun

#: Families named in a dry run's comparison (the counts are always whole).
LISTED = 100


def _require(user, cap: str, area_code: str | None = None) -> None:
    if user is None:
        return  # the system (a command run by the operator of the server)
    if not user.can(cap) or (area_code is not None and not user.in_scope(area_code)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def _area_of(user) -> str:
    return "" if user is None else (user.scope_code or "")


# --- Versions -----------------------------------------------------------------------------------


def save_ruleset(user, *, name: str, rule, note: str = "") -> RuleSet:
    """A new version of the rule ``name`` (or the latest one, when nothing changed)."""
    _require(user, TCap.RUN)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Beri nama aturan ini.")]})
    try:
        rules.validate(rule)
    except rules.RuleError as e:
        raise ValidationError({"rules": e.messages}) from None
    with transaction.atomic():
        latest = RuleSet.objects.filter(name=name).order_by("-version").first()
        if latest is not None and latest.rules == rule:
            return latest
        return RuleSet.objects.create(
            name=name,
            version=(latest.version + 1) if latest else 1,
            rules=rule,
            note=note[:300],
            area_code=_area_of(user),
            created_by=user,
        )


def save_pmt_model(user, spec) -> PMTModel:
    """A PMT model file as a version; the same name and version must mean the same file."""
    _require(user, TCap.RUN)
    try:
        parsed = pmt.parse(spec)
    except pmt.ModelError as e:
        raise ValidationError({"pmt": e.messages}) from None
    existing = PMTModel.objects.filter(name=parsed.name, version=parsed.version).first()
    if existing is not None:
        if existing.spec != spec:
            raise ValidationError(
                {
                    "pmt": [
                        _(
                            "Model %(name)s versi %(version)s sudah ada dengan isi lain: "
                            "naikkan nomor versinya."
                        )
                        % {"name": parsed.name, "version": parsed.version}
                    ]
                }
            )
        return existing
    return PMTModel.objects.create(
        name=parsed.name,
        version=parsed.version,
        spec=spec,
        area_code=_area_of(user),
        created_by=user,
    )


# --- Runs ---------------------------------------------------------------------------------------


def start_run(
    user,
    *,
    ruleset: RuleSet,
    area: str,
    pmt_model: PMTModel | None = None,
    amount: Decimal | int = 0,
    as_of: date | None = None,
    programme,
    background: bool = True,
    reuse_scores: bool = True,
) -> TargetingRun:
    """Write the run and compute it: on a worker (``background``) or here and now (where
    ``reuse_scores=False`` computes the PMT again even when an earlier run's scores hold)."""
    from pandu.regions.models import Area

    _require(user, TCap.RUN, area)
    if not Area.objects.filter(code=area).exists():
        raise ValidationError({"area": [_("Kode wilayah %(code)s tidak ada.") % {"code": area}]})
    if Decimal(amount) < 0:
        raise ValidationError({"amount": [_("Nilai bantuan tidak boleh negatif.")]})
    as_of = as_of or timezone.localdate()
    run = TargetingRun(
        programme=programme,
        area_code=area,
        ruleset=ruleset,
        pmt_model=pmt_model,
        as_of=as_of,
        amount=Decimal(amount) or programme_amount(programme, as_of),
        started_by=user,
    )
    with transaction.atomic():
        run.save()
        if background:
            from pandu.core.jobs import enqueue

            run.job = enqueue(
                "targeting.run",
                user=user,
                params={"run": run.pk},
                area_code=area,
                title=str(_("Penetapan sasaran %(area)s") % {"area": area}),
            )
            run.save(update_fields=["job"])
    if not background:
        execute_run(run, reuse_scores=reuse_scores)
    return run


#: Payments a year for each unit an amount is given in (one-off and group amounts: once).
PER_YEAR = {"tahun": 1, "tahap": 4, "bulan": 12, "sekali": 1, "kelompok": 1, "unit": 1}


def programme_amount(programme, as_of: date) -> Decimal:
    """A family's yearly benefit when the programme has one amount in force; otherwise 0 (the
    run's figures then ask for the amount per family)."""
    amounts = list(programme.amounts_on(as_of))
    if len(amounts) != 1:
        return Decimal(0)
    return amounts[0].amount * PER_YEAR.get(amounts[0].per, 1)


def plan_of(run: TargetingRun) -> engine.Plan:
    model = pmt.parse(run.pmt_model.spec) if run.pmt_model is not None else None
    return engine.Plan(area=run.area_code, rule=run.ruleset.rules, model=model, as_of=run.as_of)


def previous_run(run: TargetingRun) -> TargetingRun | None:
    """The committed run this one would replace: same programme and area."""
    qs = (
        TargetingRun.objects.committed()
        .filter(area_code=run.area_code, programme_id=run.programme_id)
        .exclude(pk=run.pk)
    )
    return qs.order_by("-committed_at", "-id").first()


def reusable_scores(run: TargetingRun) -> TargetingRun | None:
    """An earlier run whose PMT scores, ranks and desil hold for ``run``: the same model, area
    and date, finished, and nothing in the registry written since it started (no family or
    person saved after it, the same number of active families). Then only the rule is
    computed again."""
    from pandu.registry.models import Household, Person

    if run.pmt_model_id is None:
        return None
    source = (
        TargetingRun.objects.filter(
            pmt_model_id=run.pmt_model_id,
            area_code=run.area_code,
            as_of=run.as_of,
            status__in=[TargetingRun.Status.DRY, TargetingRun.Status.COMMITTED],
        )
        .exclude(pk=run.pk)
        .order_by("-id")
        .first()
    )
    if source is None or not (source.summary or {}).get("means"):
        return None
    since = source.created_at
    if (
        Household.objects.filter(updated_at__gte=since).exists()
        or Person.objects.filter(updated_at__gte=since).exists()
        or engine.population(run.area_code).count() != source.population
    ):
        return None
    return source


def execute_run(run: TargetingRun, *, reuse_scores: bool = True) -> TargetingRun:
    """Compute every family's result in a few set-based statements, then the run's figures.
    Safe to re-run."""
    started = time.monotonic()
    plan = plan_of(run)
    table = TargetingResult._meta.db_table
    with transaction.atomic():
        TargetingResult.objects.filter(run=run).delete()
        source = reusable_scores(run) if reuse_scores else None
        means = None
        if source is not None:
            stored = engine.insert_rule_only(plan, run.pk, table, source.pk)
            if stored == source.population:
                means = source.summary["means"]
            else:  # the population moved after all: compute everything
                TargetingResult.objects.filter(run=run).delete()
                source = None
        if source is None:
            means = engine.execute(plan, run.pk, table)
        run.previous = previous_run(run)
        _summarise(run, plan, means)
        if source is not None:
            run.summary["scores_from"] = str(source.uid)
        run.status = TargetingRun.Status.DRY
        run.seconds = round(time.monotonic() - started, 3)
        run.save()
    return run


def _summarise(run: TargetingRun, plan: engine.Plan, means: dict | None) -> None:
    results = TargetingResult.objects.filter(run=run)
    totals = results.aggregate(
        population=Count("pk"),
        eligible=Count("pk", filter=Q(eligible=True)),
        unscored=Count("pk", filter=~Q(missing_mask=0)),
    )
    run.population = totals["population"]
    run.eligible = totals["eligible"]
    run.unscored = totals["unscored"]
    per_area = (
        results.values("household__village")
        .annotate(population=Count("pk"), eligible=Count("pk", filter=Q(eligible=True)))
        .order_by("household__village")
    )
    per_desil = results.values("desil").annotate(n=Count("pk")).order_by("desil")
    bits = {}
    flagged = results
    for i, _clause in enumerate(rules.clauses(plan.rule)):
        flagged = flagged.alias(**{f"_f{i}": F("failed_mask").bitand(1 << i)})
        bits[f"f{i}"] = Count("pk", filter=~Q(**{f"_f{i}": 0}))
    for i, _var in enumerate(plan.model.variables if plan.model else ()):
        flagged = flagged.alias(**{f"_m{i}": F("missing_mask").bitand(1 << i)})
        bits[f"m{i}"] = Count("pk", filter=~Q(**{f"_m{i}": 0}))
    counted = flagged.aggregate(**bits) if bits else {}
    clause_failures = {
        str(i): {"rule": rules.describe(clause), "failed": counted[f"f{i}"]}
        for i, clause in enumerate(rules.clauses(plan.rule))
    }
    summary: dict[str, Any] = {
        "per_area": [
            {
                "area": r["household__village"],
                "population": r["population"],
                "eligible": r["eligible"],
            }
            for r in per_area
        ],  # fmt: skip
        "per_desil": {str(r["desil"] or ""): r["n"] for r in per_desil},
        "clauses": clause_failures,
        "cost": str(run.amount * run.eligible),
        "amount": str(run.amount),
    }
    if plan.model is not None:
        summary["missing"] = [
            {"variable": var.name, "households": counted[f"m{i}"]}
            for i, var in enumerate(plan.model.variables)
            if counted[f"m{i}"]
        ]
        summary["means"] = means  # type: ignore[assignment]
    if run.previous is not None:
        summary["compare"] = _compare(run, run.previous)
    warnings = []
    if run.population == 0:
        warnings.append(_("Tidak ada keluarga aktif di wilayah ini."))
    elif run.eligible == 0:
        warnings.append(
            _(
                "Aturan ini tidak memilih satu keluarga pun dari %(n)d keluarga: periksa "
                "aturannya sebelum menetapkan."
            )
            % {"n": run.population}
        )
    if run.population and run.amount == 0:
        warnings.append(
            _(
                "Biaya tidak dihitung: program ini tidak mempunyai satu nilai bantuan yang "
                "berlaku; isi nilai bantuan per keluarga."
            )
        )
    if run.unscored:
        warnings.append(
            ngettext(
                "%(n)d keluarga tidak dapat diberi skor PMT karena datanya kurang.",
                "%(n)d keluarga tidak dapat diberi skor PMT karena datanya kurang.",
                run.unscored,
            )
            % {"n": run.unscored}
        )
    run.summary = summary
    run.warnings = warnings


def _compare(run: TargetingRun, previous: TargetingRun) -> dict:
    """Who enters and who leaves the eligible list against the committed run before it."""
    now = TargetingResult.objects.filter(run=run, eligible=True)
    before = TargetingResult.objects.filter(run=previous, eligible=True)
    entering = now.exclude(household_id__in=before.values("household_id"))
    leaving = before.exclude(household_id__in=now.values("household_id"))

    def first(qs) -> list[int]:
        return list(qs.order_by("household_id").values_list("household_id", flat=True)[:LISTED])

    return {
        "previous": str(previous.uid),
        "previous_eligible": previous.eligible,
        "entering": entering.count(),
        "leaving": leaving.count(),
        "entering_ids": first(entering),
        "leaving_ids": first(leaving),
    }


def fail_run(run: TargetingRun, message: str) -> None:
    run.status = TargetingRun.Status.FAILED
    run.warnings = [message]
    run.save(update_fields=["status", "warnings", "updated_at"])


def commit_run(user, run: TargetingRun) -> TargetingRun:
    """Make a dry run the programme's result. A run that selects nobody is not committed."""
    _require(user, TCap.COMMIT, run.area_code)
    if run.status != TargetingRun.Status.DRY:
        raise ValidationError(_("Hanya hasil uji coba yang dapat ditetapkan."))
    if run.eligible == 0:
        raise ValidationError(
            _("Aturan ini tidak memilih satu keluarga pun; tidak ada yang dapat ditetapkan.")
        )
    with transaction.atomic():
        run.status = TargetingRun.Status.COMMITTED
        run.committed_by = user
        run.committed_at = timezone.now()
        run.save(update_fields=["status", "committed_by", "committed_at", "updated_at"])
    return run


# --- Appeals ------------------------------------------------------------------------------------


def file_appeal(user, *, run: TargetingRun, household, reason: str, service_point=None) -> Appeal:
    """A family objects to its result: an intake of the one-stop service, linked to the run."""
    from pandu.registry.models import Household
    from pandu.services import choices as sc
    from pandu.services.actions import Subject, create_intake
    from pandu.services.models import ServicePoint

    _require(user, TCap.APPEAL, household.village_id)
    if not Household.objects.visible_to(user).filter(pk=household.pk).exists():
        raise PermissionDenied(_("Keluarga ini tidak ada di wilayah Anda."))
    if not TargetingResult.objects.filter(run=run, household=household).exists():
        raise ValidationError(_("Keluarga ini tidak termasuk dalam penetapan tersebut."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan keberatannya.")]})
    head = household.head()
    if head is None:
        raise ValidationError(_("Keluarga ini tidak mempunyai kepala keluarga aktif."))
    if service_point is None:
        points = ServicePoint.objects.visible_to(user).filter(active=True)
        candidates = [p for p in points if household.village_id.startswith(p.area_id)]
        if not candidates:
            raise ValidationError(
                _("Tidak ada titik layanan Anda yang melayani wilayah keluarga ini.")
            )
        service_point = max(candidates, key=lambda p: len(p.area_id))
    with transaction.atomic():
        intake = create_intake(
            user,
            service_point=service_point,
            kind=sc.IntakeKind.GRIEVANCE,
            channel=sc.Channel.WALK_IN,
            subject=Subject(person=head),
            needs=[(sc.NeedArea.EMPOWERMENT, _("Keberatan atas hasil penetapan sasaran"))],
            description=_("Keberatan atas penetapan sasaran %(run)s (%(rule)s): %(reason)s")
            % {"run": str(run.uid)[:8], "rule": str(run.ruleset), "reason": reason},
            confirm_duplicate=True,
        )
        return Appeal.objects.create(
            run=run, household=household, intake=intake, reason=reason, created_by=user
        )
