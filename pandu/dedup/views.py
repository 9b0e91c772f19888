"""Data ganda pages: the review queue, one pair side by side, merges and their undoing, the
registry-wide run (a background job) and the inline check used by registration forms."""

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
from pandu.core.jobs import TooManyJobs, enqueue
from pandu.core.lists import build_list
from pandu.registry.models import Person, PPKSAssignment, PSKSPerson

from . import actions
from .filtersets import PairFilterSet
from .forms import DismissForm, MergeForm, RunForm, UndoForm
from .models import DuplicatePair, Merge
from .online import possible_duplicates
from .spec import BY_NAME, COMPARISONS, level_label
from .tables import PairTable

COMPARED_FIELDS = [
    ("full_name", _("Nama")),
    ("nik", _("NIK")),
    ("sex", _("Jenis kelamin")),
    ("birth_place", _("Tempat lahir")),
    ("birth_date", _("Tanggal lahir")),
    ("relationship", _("Hubungan")),
    ("area_code", _("Kode wilayah")),
]


_apply_errors = add_action_errors


def _pairs(user):
    return DuplicatePair.objects.visible_to(user).select_related(
        "person_a__household__village", "person_b__household__village"
    )


@login_required
def pair_list(request):
    """The review queue: open pairs inside the user's area, most probable first."""
    require(request, Cap.REVIEW_DUPLICATES, "dedup: may not review")
    pairs = build_list(
        request,
        _pairs(request.user).order_by("-probability", "id"),
        PairTable,
        filterset_class=PairFilterSet,
    )
    merges = Merge.objects.visible_to(request.user).select_related(
        "survivor", "merged", "merged_by"
    )[:20]
    return render(
        request,
        "dedup/pair_list.html",
        {
            "title": _("Data ganda"),
            "form": pairs.filterset.form,
            "table": pairs.table,
            "merges": merges,
            "may_run": request.user.can(Cap.RUN_DEDUP),
        },
    )


def _evidence_rows(pair: DuplicatePair) -> list[dict]:
    rows = []
    by_comp = {e["comparison"]: e for e in pair.evidence}
    for comp in COMPARISONS:
        e = by_comp.get(comp.name, {"level": "null", "weight": 0})
        rows.append(
            {
                "label": comp.label,
                "level": level_label(comp.name, e["level"]),
                "weight": e["weight"],
                "agree": e["weight"] > 0.5,
                "disagree": e["weight"] < -0.5,
            }
        )
    return rows


def _links(person: Person, user) -> dict:
    return {
        "ppks": list(
            PPKSAssignment.objects.visible_to(user).filter(person=person).select_related("category")
        ),
        "psks": list(
            PSKSPerson.objects.visible_to(user).filter(person=person).select_related("psks_type")
        ),
        "memberships": list(person.memberships.select_related("household")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def pair_detail(request, uid):
    """Both records side by side, with the evidence for and against; merge or dismiss here."""
    require(request, Cap.REVIEW_DUPLICATES, "dedup: may not review")
    pair = get_for_user_or_404(request, _pairs(request.user), uid=uid)
    a, b = pair.person_a, pair.person_b
    default = actions.choose_survivor(a, b)
    merge_form = MergeForm(initial={"survivor": "a" if default.pk == a.pk else "b"})
    dismiss_form = DismissForm()
    if request.method == "POST":
        if request.POST.get("decision") == "merge":
            merge_form = MergeForm(request.POST)
            if merge_form.is_valid():
                survivor = a if merge_form.cleaned_data["survivor"] == "a" else b
                try:
                    merge = actions.confirm_pair(
                        request.user,
                        pair,
                        reason=merge_form.cleaned_data["reason"],
                        survivor=survivor,
                    )
                except ValidationError as exc:
                    _apply_errors(merge_form, exc)
                except PermissionDenied:
                    deny(request, "dedup: merge refused", pair)
                else:
                    messages.success(request, _("Kedua data sudah digabung."))
                    return redirect("dedup:merge_detail", uid=merge.uid)
        else:
            dismiss_form = DismissForm(request.POST)
            if dismiss_form.is_valid():
                try:
                    actions.dismiss_pair(
                        request.user, pair, reason=dismiss_form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    _apply_errors(dismiss_form, exc)
                except PermissionDenied:
                    deny(request, "dedup: dismissal refused", pair)
                else:
                    messages.success(request, _("Pasangan ditandai bukan orang yang sama."))
                    return redirect("dedup:pair_list")
    fields = [
        {
            "label": label,
            "a": getattr(a, f"get_{name}_display", lambda n=name: getattr(a, n))(),
            "b": getattr(b, f"get_{name}_display", lambda n=name: getattr(b, n))(),
            "same": getattr(a, name) == getattr(b, name),
        }
        for name, label in COMPARED_FIELDS
    ]
    return render(
        request,
        "dedup/pair_detail.html",
        {
            "title": _("Periksa pasangan data ganda"),
            "pair": pair,
            "a": a,
            "b": b,
            "fields": fields,
            "evidence": _evidence_rows(pair),
            "links_a": _links(a, request.user),
            "links_b": _links(b, request.user),
            "merge_form": merge_form,
            "dismiss_form": dismiss_form,
            "default_survivor": default,
            "merges": pair.merges.select_related("survivor", "merged"),
        },
    )


def _merges(user):
    return Merge.objects.visible_to(user).select_related(
        "survivor", "merged", "merged_by", "undone_by", "pair"
    )


@login_required
def merge_detail(request, uid):
    require(request, Cap.REVIEW_DUPLICATES, "dedup: may not review")
    merge = get_for_user_or_404(request, _merges(request.user), uid=uid)
    return render(
        request,
        "dedup/merge_detail.html",
        {"title": _("Penggabungan data ganda"), "merge": merge, "form": UndoForm()},
    )


@login_required
@require_POST
def merge_undo(request, uid):
    require(request, Cap.REVIEW_DUPLICATES, "dedup: may not review")
    merge = get_for_user_or_404(request, _merges(request.user), uid=uid)
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            actions.undo_merge(request.user, merge, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied:
            deny(request, "dedup: undo refused", merge)
        else:
            messages.success(request, _("Penggabungan dibatalkan; kedua data aktif kembali."))
            return redirect("dedup:merge_detail", uid=merge.uid)
    return render(
        request,
        "dedup/merge_detail.html",
        {"title": _("Penggabungan data ganda"), "merge": merge, "form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_start(request):
    """Start a search over the user's area as a background job (administrators)."""
    require(request, Cap.RUN_DEDUP, "dedup: may not run")
    form = RunForm(request.POST or None, initial={"area": request.user.scope_code or ""})
    if request.method == "POST" and form.is_valid():
        area = (form.cleaned_data["area"] or "").strip() or (request.user.scope_code or "")
        if not request.user.in_scope(area):
            form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
        else:
            try:
                job = enqueue(
                    "dedup.find",
                    user=request.user,
                    params={
                        "area": area,
                        "threshold": form.cleaned_data["threshold"],
                        "train": True if form.cleaned_data["train"] else None,
                    },
                    area_code=area,
                    title=_("Pencarian data ganda %(area)s") % {"area": area or _("semua wilayah")},
                )
            except TooManyJobs as exc:
                form.add_error(None, exc.messages[0])
            else:
                return redirect("core:job_detail", uid=job.uid)
    return render(
        request,
        "dedup/run_form.html",
        {"title": _("Cari data ganda di seluruh registri"), "form": form},
    )


CHECK_FIELDS = (
    "full_name", "nik", "sex", "birth_date", "birth_place", "village", "household", "relationship",
)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    """HTMX: "this may be the same person as ..." for a person being registered.

    Reads the fields named in ``CHECK_FIELDS`` from GET or POST, also with a formset prefix
    (``m-0-full_name``); ``exclude`` is the uid of the person being edited.
    """
    require(request, Cap.VIEW_REGISTRY, "dedup: may not check")
    source = request.POST if request.method == "POST" else request.GET
    data = {}
    for name in CHECK_FIELDS:
        value = source.get(name)
        if value is None:
            value = next((v for k, v in source.items() if k.endswith(f"-{name}")), None)
        data[name] = value
    exclude = None
    if source.get("exclude"):
        exclude = Person.objects.visible_to(request.user).filter(uid=source["exclude"]).first()
    matches = possible_duplicates(data, user=request.user, limit=5, exclude=exclude)
    return render(
        request,
        "dedup/_possible_duplicates.html",
        {
            "matches": [
                {"person": p, "probability": prob, "reasons": _short_reasons(ev)}
                for p, prob, ev in matches
            ]
        },
    )


def _short_reasons(evidence: list[dict]) -> list[str]:
    out = []
    for e in sorted(evidence, key=lambda e: -e["weight"]):
        if e["weight"] > 1:
            comp = BY_NAME[e["comparison"]]
            out.append(f"{comp.label}: {level_label(comp.name, e['level'])}")
    return out[:3]
