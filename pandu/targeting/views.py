"""Targeting pages: runs (list, new, detail with the dry run's figures, commit), one family's
explanation with its appeal, and the rule builder and PMT model files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import deny, get_for_user_or_404, require
from pandu.core.forms import add_action_errors
from pandu.core.jobs import TooManyJobs
from pandu.core.lists import build_list
from pandu.registry.models import Household

from . import actions, explain, queries
from .capabilities import TCap
from .filtersets import RunFilterSet
from .forms import AppealForm, ConditionFormSet, PMTForm, RuleSetForm, RunForm
from .models import PMTModel, RuleSet, TargetingRun
from .tables import RunTable


def _runs(user):
    return TargetingRun.objects.visible_to(user).select_related("programme", "ruleset", "pmt_model")


@login_required
def run_list(request):
    require(request, TCap.VIEW)
    page = build_list(
        request, _runs(request.user).order_by("-id"), RunTable, filterset_class=RunFilterSet
    )
    return render(
        request,
        "targeting/run_list.html",
        {
            "title": _("Penetapan sasaran"),
            "table": page.table,
            "form": page.filterset.form if page.filterset else None,
            "may_run": request.user.can(TCap.RUN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_new(request):
    require(request, TCap.RUN)
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.in_scope(data["area"]):
            deny(request, f"targeting run outside scope: {data['area']}")
        try:
            run = actions.start_run(
                request.user,
                ruleset=data["ruleset"],
                pmt_model=data["pmt_model"],
                area=data["area"],
                amount=data["amount"] or 0,
                as_of=data["as_of"],
                programme=data["programme"],
            )
        except TooManyJobs as e:
            form.add_error(None, e.messages[0])
        except ValidationError as e:
            add_action_errors(form, e)
        except PermissionDenied:
            deny(request, "targeting run refused")
        else:
            messages.success(request, _("Uji coba sedang dihitung."))
            return redirect("targeting:run_detail", uid=run.uid)
    return render(
        request, "targeting/run_form.html", {"title": _("Uji coba penetapan"), "form": form}
    )


def _households(user, ids):
    if not ids:
        return []
    return list(
        Household.objects.visible_to(user).filter(pk__in=ids).select_related("village")[:100]
    )


@login_required
def run_detail(request, uid):
    require(request, TCap.VIEW)
    run = get_for_user_or_404(request, _runs(request.user), uid=uid)
    compare = (run.summary or {}).get("compare") or {}
    from pandu.regions.models import Area

    per_area = (run.summary or {}).get("per_area", [])
    names = dict(
        Area.objects.filter(code__in=[r["area"] for r in per_area]).values_list("code", "name")
    )
    desil = (run.summary or {}).get("per_desil", {})
    return render(
        request,
        "targeting/run_detail.html",
        {
            "title": str(run),
            "run": run,
            "per_area": [{**r, "name": names.get(r["area"], r["area"])} for r in per_area],
            "per_desil": sorted(desil.items(), key=lambda kv: int(kv[0]) if kv[0] else 99),
            "clauses": (run.summary or {}).get("clauses", {}).values(),
            "missing": (run.summary or {}).get("missing", []),
            "compare": compare,
            "entering": _households(request.user, compare.get("entering_ids")),
            "leaving": _households(request.user, compare.get("leaving_ids")),
            "may_commit": request.user.can(TCap.COMMIT) and run.status == "dry",
            "cost": (run.summary or {}).get("cost"),
        },
    )


@login_required
@require_POST
def run_commit(request, uid):
    require(request, TCap.COMMIT)
    run = get_for_user_or_404(
        request, TargetingRun.objects.restrict(request.user, "commit"), uid=uid
    )
    try:
        actions.commit_run(request.user, run)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Hasil penetapan sudah ditetapkan."))
    return redirect("targeting:run_detail", uid=run.uid)


@login_required
@require_http_methods(["GET", "POST"])
def explain_page(request, uid, household):
    require(request, TCap.VIEW)
    run = get_for_user_or_404(request, _runs(request.user), uid=uid)
    family = get_for_user_or_404(request, Household.objects.visible_to(request.user), uid=household)
    found = explain.explain(run, family, sensitive_ok=request.user.can(Cap.VIEW_SENSITIVE))
    if found is None:
        deny(request, "household not in this run", family)
    may_appeal = request.user.can(TCap.APPEAL)
    form = AppealForm(request.POST or None) if may_appeal else None
    if request.method == "POST":
        require(request, may_appeal)
        assert form is not None
        if form.is_valid():
            try:
                appeal = actions.file_appeal(
                    request.user, run=run, household=family, reason=form.cleaned_data["reason"]
                )
            except ValidationError as e:
                add_action_errors(form, e)
            except PermissionDenied:
                deny(request, "appeal refused", family)
            else:
                messages.success(
                    request,
                    _("Keberatan diterima sebagai pengaduan %(ticket)s.")
                    % {"ticket": appeal.intake.ticket_number},
                )
                return redirect("targeting:explain", uid=run.uid, household=family.uid)
    appeals = run.appeals.filter(household=family).select_related("intake")
    return render(
        request,
        "targeting/explain.html",
        {
            "title": _("Penjelasan hasil penetapan"),
            "run": run,
            "household": family,
            "found": found,
            "form": form,
            "appeals": list(appeals) if may_appeal or request.user.can(TCap.VIEW) else [],
            "history": queries.desil_history(request.user, family),
        },
    )


@login_required
def ruleset_list(request):
    require(request, TCap.RUN)
    return render(
        request,
        "targeting/ruleset_list.html",
        {
            "title": _("Aturan kelayakan dan model PMT"),
            "rulesets": RuleSet.objects.visible_to(request.user)[:200],
            "models": PMTModel.objects.visible_to(request.user)[:200],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_new(request):
    require(request, TCap.RUN)
    source = None
    if request.method == "GET" and request.GET.get("dari"):
        source = get_for_user_or_404(
            request, RuleSet.objects.visible_to(request.user), uid=request.GET["dari"]
        )
    initial = {"name": source.name, "rules_json": ""} if source else None
    form = RuleSetForm(request.POST or None, initial=initial)
    rows = ConditionFormSet(request.POST or None, prefix="c", initial=_rows_of(source))
    if request.method == "POST" and form.is_valid():
        rule = form.cleaned_data["rules_json"]
        if rule is None and rows.is_valid():
            conditions = [f.condition() for f in rows.forms if f.cleaned_data]
            rule = {form.cleaned_data["combine"]: conditions}
        if rule is not None:
            try:
                ruleset = actions.save_ruleset(
                    request.user,
                    name=form.cleaned_data["name"],
                    rule=rule,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Tersimpan sebagai %(rs)s.") % {"rs": ruleset})
                return redirect("targeting:ruleset_list")
    return render(
        request,
        "targeting/ruleset_form.html",
        {"title": _("Aturan kelayakan"), "form": form, "rows": rows},
    )


def _rows_of(source) -> list[dict]:
    """A saved rule as builder rows, when it is a flat all/any list of conditions."""
    if source is None:
        return [{}]
    rule = source.rules
    key = "all" if "all" in rule else "any" if "any" in rule else None
    items = rule.get(key, []) if key else [rule]
    if not all("field" in c for c in items):
        return [{}]
    rows = []
    for c in items:
        value = c.get("value")
        shown = ",".join(str(v) for v in value) if isinstance(value, list) else value
        if isinstance(shown, bool):
            shown = "ya" if shown else "tidak"
        rows.append({"field": c["field"], "op": c["op"], "value": shown})
    return rows


@login_required
@require_POST
def ruleset_rows(request):
    """The builder's rows again with one added (``tambah``) or one removed (``hapus=i``): the
    form posts what it holds and gets back its rows, so no script of our own is needed."""
    require(request, TCap.RUN)
    try:
        total = max(0, min(int(request.POST.get("c-TOTAL_FORMS", "0")), 60))
    except ValueError:
        total = 0
    rows = [
        {key: request.POST.get(f"c-{i}-{key}", "") for key in ("field", "op", "value")}
        for i in range(total)
    ]
    remove = request.POST.get("hapus", "")
    if remove.isdigit() and int(remove) < len(rows):
        rows.pop(int(remove))
    if "tambah" in request.POST and len(rows) < 60:
        rows.append({})
    formset = ConditionFormSet(prefix="c", initial=rows or [{}])
    return render(request, "targeting/_rows.html", {"rows": formset})


@login_required
@require_http_methods(["GET", "POST"])
def pmt_new(request):
    require(request, TCap.RUN)
    form = PMTForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            model = actions.save_pmt_model(request.user, form.cleaned_data["spec"])
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Model PMT %(m)s tersimpan.") % {"m": model})
            return redirect("targeting:ruleset_list")
    return render(request, "targeting/pmt_form.html", {"title": _("Model PMT"), "form": form})
