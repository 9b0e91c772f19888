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


def _unchanged_since(source: TargetingRun, area_code: str) -> bool:
    """Nothing in the registry written since ``source`` started (one index probe each on the
    families' and people's ``updated_at``) and the same number of active families."""
    from pandu.registry.models import Household, Person

    since = source.created_at
    return not (
        Household.objects.filter(updated_at__gte=since).exists()
        or Person.objects.filter(updated_at__gte=since).exists()
        or engine.population(area_code).count() != source.population
    )


def reusable_scores(run: TargetingRun) -> TargetingRun | None:
    """An earlier run whose PMT scores, ranks and desil hold for ``run``: the same model, area
    and date, finished with its rows stored, and nothing in the registry written since it
    started. Then only the rule is computed again. The committed run it would replace is
    preferred, so that the comparison reads the same rows."""
    if run.pmt_model_id is None:
        return None
    candidates = (
        TargetingRun.objects.filter(
            pmt_model_id=run.pmt_model_id,
            area_code=run.area_code,
            as_of=run.as_of,
            status__in=[TargetingRun.Status.DRY, TargetingRun.Status.COMMITTED],
            rows_stored=True,
        )
        .exclude(pk=run.pk)
        .order_by("-id")
    )
    tried = []
    if run.previous_id is not None:
        tried.append(candidates.filter(pk=run.previous_id).first())
    tried.append(candidates.first())
    for source in tried:
        if source is None or not (source.summary or {}).get("means"):
            continue
        if _unchanged_since(source, run.area_code):
            return source
    return None


def execute_run(run: TargetingRun, *, reuse_scores: bool = True) -> TargetingRun:
    """Compute every family's result in a few set-based statements, then the run's figures.
    Safe to re-run.

    With an earlier run's scores reusable (:func:`reusable_scores`), only the rule is computed;
    when that run is also the one compared against (or there is none), the dry run is counted
    without storing a row per family (``rows_stored`` false): its rows are stored when it is
    committed (:func:`store_rows`)."""
    started = time.monotonic()
    plan = plan_of(run)
    table = TargetingResult._meta.db_table
    with transaction.atomic():
        TargetingResult.objects.filter(run=run).delete()
        run.previous = previous_run(run)
        run.source = reusable_scores(run) if reuse_scores else None
        run.rows_stored = True
        means = None
        figures = None
        source = run.source
        reuse: dict[int, int] = {}
        if source is not None:
            reuse = engine.reusable_parts(plan.rule, source.ruleset.rules)
            if run.previous is None or run.previous.pk == source.pk:
                figures = engine.rule_only_figures(
                    plan, table, source.pk, reuse,
                    parts=len(rules.clauses(plan.rule)),
                    compare=run.previous is not None, listed=LISTED,
                )  # fmt: skip
                run.rows_stored = False
                ok = figures.population == source.population
            else:
                ok = engine.insert_rule_only(plan, run.pk, table, source.pk, reuse) == (
                    source.population
                )
            if ok:
                means = source.summary["means"]
            else:  # the population moved after all: compute everything
                TargetingResult.objects.filter(run=run).delete()
                run.source, source, figures, run.rows_stored = None, None, None, True
        if source is None:
            means = engine.execute(plan, run.pk, table)
        _summarise(run, plan, means, figures, source)
        if source is not None:
            run.summary["scores_from"] = str(source.uid)
            run.summary["parts_reused"] = sorted(reuse)
        run.status = TargetingRun.Status.DRY
        run.seconds = round(time.monotonic() - started, 3)
        run.save()
    return run


def store_rows(run: TargetingRun) -> None:
    """Store the rows of a dry run that was only counted, exactly as counted: refused when the
    registry changed since the run its scores come from (the figures would no longer hold)."""
    if run.rows_stored:
        return
    source = run.source
    if source is None or not _unchanged_since(source, run.area_code):
        raise ValidationError(
            _(
                "Data registri berubah sejak uji coba ini dihitung; jalankan uji coba lagi "
                "sebelum menetapkan."
            )
        )
    plan = plan_of(run)
    reuse = engine.reusable_parts(plan.rule, source.ruleset.rules)
    table = TargetingResult._meta.db_table
    with transaction.atomic():
        TargetingResult.objects.filter(run=run).delete()
        stored = engine.insert_rule_only(plan, run.pk, table, source.pk, reuse)
        if stored != run.population:
            raise ValidationError(
                _("Data registri berubah sejak uji coba ini dihitung; jalankan uji coba lagi.")
            )
        run.rows_stored = True
        run.save(update_fields=["rows_stored", "updated_at"])


def _summarise(
    run: TargetingRun,
    plan: engine.Plan,
    means: dict | None,
    figures: engine.Figures | None = None,
    source: TargetingRun | None = None,
) -> None:
    """The run's figures: from its stored rows, or from ``figures`` counted without rows (then
    desil, unscored and missing variables are those of ``source``, whose scores it took)."""
    clauses = rules.clauses(plan.rule)
    variables = plan.model.variables if plan.model else ()
    keys = ["n", "eligible", *(f"f{i}" for i in range(len(clauses)))]
    counted: dict[str, int] = dict.fromkeys(keys, 0)
    areas: dict[str, dict[str, int]] = {}
    desils: dict[str, int] = {}
    if figures is not None and source is not None:
        for g in figures.villages:
            for key in keys:
                counted[key] += g[key]
            areas[g["village"]] = {"population": g["n"], "eligible": g["eligible"]}
        desils = dict((source.summary or {}).get("per_desil") or {})
        counted["unscored"] = source.unscored
        missing = {m["variable"]: m["households"] for m in source.summary.get("missing", [])}
        for i, var in enumerate(variables):
            counted[f"m{i}"] = missing.get(var.name, 0)
    else:
        # One pass over the run's rows, per village, desil and verdict: every count the page
        # shows is a sum of these groups.
        flagged = TargetingResult.objects.filter(run=run)
        counts = {"n": Count("pk"), "unscored": Count("pk", filter=~Q(missing_mask=0))}
        for i, _clause in enumerate(clauses):
            flagged = flagged.alias(**{f"_f{i}": F("failed_mask").bitand(1 << i)})
            counts[f"f{i}"] = Count("pk", filter=~Q(**{f"_f{i}": 0}))
        for i, _var in enumerate(variables):
            flagged = flagged.alias(**{f"_m{i}": F("missing_mask").bitand(1 << i)})
            counts[f"m{i}"] = Count("pk", filter=~Q(**{f"_m{i}": 0}))
        groups = flagged.values("desil", "eligible", village=F("household__village"))
        counted.update(dict.fromkeys(counts, 0))
        rows: list[dict[str, Any]] = [dict(r) for r in groups.annotate(**counts).order_by()]
        for row in rows:
            for key in counts:
                counted[key] += row[key]
            eligible = row["n"] if row["eligible"] else 0
            counted["eligible"] += eligible
            area = areas.setdefault(row["village"], {"population": 0, "eligible": 0})
            area["population"] += row["n"]
            area["eligible"] += eligible
            desil = str(row["desil"] or "")
            desils[desil] = desils.get(desil, 0) + row["n"]
    run.population = counted["n"]
    run.eligible = counted["eligible"]
    run.unscored = counted["unscored"]
    per_area = [{"area": code, **areas[code]} for code in sorted(areas)]
    per_desil = {key: desils[key] for key in sorted(desils, key=lambda d: int(d) if d else 0)}
    clause_failures = {
        str(i): {"rule": rules.describe(clause), "failed": counted[f"f{i}"]}
        for i, clause in enumerate(clauses)
    }
    summary: dict[str, Any] = {
        "per_area": per_area,
        "per_desil": per_desil,
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
    if run.previous is not None and figures is not None:
        summary["compare"] = {
            "previous": str(run.previous.uid),
            "previous_eligible": run.previous.eligible,
            "entering": sum(g["entering"] for g in figures.villages),
            "leaving": sum(g["leaving"] for g in figures.villages),
            "entering_ids": figures.entering_ids,
            "leaving_ids": figures.leaving_ids,
        }
    elif run.previous is not None:
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
    """Who enters and who leaves the eligible list against the committed run before it: one
    pass over the two runs' eligible rows, grouped by family."""
    both = (
        TargetingResult.objects.filter(run_id__in=[run.pk, previous.pk], eligible=True)
        .values("household_id")
        .annotate(
            now=Count("pk", filter=Q(run_id=run.pk)),
            before=Count("pk", filter=Q(run_id=previous.pk)),
        )
        .exclude(now=F("before"))
        .order_by("household_id")
        .values_list("household_id", "now")
    )
    entering: list[int] = []
    leaving: list[int] = []
    for household_id, now in both.iterator(chunk_size=5000):
        (entering if now else leaving).append(household_id)
    return {
        "previous": str(previous.uid),
        "previous_eligible": previous.eligible,
        "entering": len(entering),
        "leaving": len(leaving),
        "entering_ids": entering[:LISTED],
        "leaving_ids": leaving[:LISTED],
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
        store_rows(run)
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
    counted_in = run.pk if run.rows_stored else run.source_id  # a counted dry run: its source
    if not TargetingResult.objects.filter(run_id=counted_in, household=household).exists():
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
