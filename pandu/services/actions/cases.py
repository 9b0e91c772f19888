"""Cases: assignment, assessment, plan, notes, tasks, counselling, closure and reopening."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core import versions

from .. import choices as c
from .. import tallies
from ..assessment import clean_answers, missing_answers
from ..capabilities import SCap, caseworker_roles, is_caseworker
from ..models import (
    Assessment,
    Case,
    CaseNote,
    CounsellingSession,
    Goal,
    Intake,
    IntakeNeed,
    PlanAction,
    Task,
)
from ._common import (
    _case_in_reach,
    _event,
    _first_action,
    _intake_in_reach,
    _not_future,
    _not_past,
    _require_work,
    _required_text,
    _save,
    _today,
    may_supervise,
    may_work,
    notify,
)


def _check_worker(case_area: str, worker) -> None:
    if worker is None or not worker.is_active or not is_caseworker(worker):
        raise ValidationError({"assign_to": _("Pilih pekerja sosial atau TKSK yang aktif.")})
    if not worker.in_scope(case_area):
        raise ValidationError(
            {"assign_to": _("Wilayah kerja petugas ini tidak mencakup tempat tinggal orangnya.")}
        )


def caseworkers_for(area_code: str):
    """Users who may be assigned a case living in ``area_code``."""
    from pandu.accounts.models import User

    prefixes = [area_code[:n] for n in (2, 5, 8, 13) if n <= len(area_code)]
    return User.objects.filter(is_active=True, role__in=caseworker_roles(), area_id__in=prefixes)


def open_case(user, intake: Intake, *, assign_to=None) -> Case:
    """Turn an intake into a case (and, usually, route it to a worker straight away)."""
    if not (user.can(SCap.INTAKE) or user.can(SCap.CASE_WORK)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    _intake_in_reach(user, intake)
    if intake.status != c.IntakeStatus.NEW or Case.objects.filter(intake=intake).exists():
        raise ValidationError(_("Pengaduan ini sudah ditangani atau sudah selesai."))
    if assign_to is not None:
        _check_worker(intake.area_code, assign_to)
    now = timezone.now()
    with transaction.atomic():
        case = Case(
            intake=intake,
            service_point=intake.service_point,
            area_code=intake.area_code,
            sensitive=intake.sensitive,
            urgency_rank=c.URGENCY_RANK.get(intake.urgency, c.URGENCY_RANK[c.Urgency.NORMAL]),
            opened_by=user,
        )
        if assign_to is not None:
            case.assigned_to = assign_to
            case.assigned_at = now
        _save(case, user, _("Kasus dibuka"))
        intake.status = c.IntakeStatus.IN_CASE
        intake.queue_status = c.QueueStatus.SERVED
        _save(intake, user, _("Kasus dibuka"))
        _event(case, user, c.EventKind.OPENED, intake.ticket_number)
        if assign_to is not None:
            _event(
                case, user, c.EventKind.ASSIGNED, assign_to.get_full_name() or assign_to.username
            )
            _tell_assigned(case, assign_to)
    return case


def _tell_assigned(case: Case, worker) -> None:
    notify(
        [worker],
        kind="case_assigned",
        title=_("Kasus baru ditugaskan: %(number)s") % {"number": case.number},
        url=reverse("services:case_detail", args=[case.uid]),
    )


def _tell_supervisors(case: Case, kind: str, title: str) -> None:
    """The worker's supervisors decide plans and closures; where the worker has none, the
    administrators of the case's area do."""
    from pandu.accounts.models import User
    from pandu.notifications.queries import nearest_holders

    from ..queries import supervisor_ids

    deciders = list(
        User.objects.filter(pk__in=supervisor_ids(case.assigned_to), is_active=True)
        if case.assigned_to_id
        else []
    ) or nearest_holders(SCap.CASE_ADMIN, case.area_code)
    notify(
        deciders,
        kind=kind,
        title=title % {"number": case.number},
        url=reverse("services:case_detail", args=[case.uid]),
    )


def _require_supervisor(user, case: Case) -> None:
    _case_in_reach(user, case)
    if not may_supervise(user, case):
        raise PermissionDenied(
            _("Hanya supervisor petugas atau administrator yang dapat memutuskan.")
        )


def assign_case(user, case: Case, worker) -> Case:
    """Route a case: anyone at the desk may route an unassigned case; reassigning is for the
    supervisor or administrator."""
    _case_in_reach(user, case)
    if case.assigned_to_id is None:
        if not (user.can(SCap.INTAKE) or may_supervise(user, case)):
            raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    elif not may_supervise(user, case):
        raise PermissionDenied(
            _("Hanya supervisor petugas atau administrator yang dapat memutuskan.")
        )
    if case.status == c.CaseStatus.CLOSED:
        raise ValidationError(_("Kasus sudah ditutup; buka kembali dahulu."))
    _check_worker(case.area_code, worker)
    case.assigned_to = worker
    case.assigned_at = timezone.now()
    with transaction.atomic():
        _save(case, user, _("Penugasan"))
        _event(case, user, c.EventKind.ASSIGNED, worker.get_full_name() or worker.username)
        _tell_assigned(case, worker)
    return case


def save_assessment(user, case: Case, area: str, data: dict, *, final: bool = False) -> Assessment:
    _require_work(user, case)
    if area not in c.NeedArea.values:
        raise ValidationError({"area": _("Bidang kebutuhan tidak dikenal.")})
    answers = clean_answers(area, data)
    if final:
        missing = missing_answers(area, answers)
        if missing:
            raise ValidationError(
                _("Asesmen belum lengkap, isi dahulu: %(fields)s.") % {"fields": ", ".join(missing)}
            )
    with transaction.atomic():
        assessment = Assessment.objects.filter(case=case, area=area).first() or Assessment(
            case=case, area=area
        )
        assessment.data = answers
        assessment.final = final
        assessment.updated_by = user
        _save(assessment, user, _("Asesmen final") if final else _("Draf asesmen"))
        _need, added = IntakeNeed.objects.get_or_create(intake=case.intake, area=area)
        if added:
            tallies.needs_added(case.intake, [area])
        _first_action(case.intake)
        _event(
            case,
            user,
            c.EventKind.ASSESSMENT,
            "{} · {}".format(c.NeedArea(area).label, _("final") if final else _("draf")),
        )
    return assessment


def _plan_changed(user, case: Case) -> None:
    if case.plan_status in (c.PlanStatus.APPROVED, c.PlanStatus.SUBMITTED):
        case.plan_status = c.PlanStatus.DRAFT
        _save(case, user, _("Rencana diubah; perlu persetujuan ulang"))


def save_plan_summary(user, case: Case, summary: str, *, seen: versions.Seen | None = None) -> Case:
    """``seen``: the version the summary was written on (someone else's summary saved since is
    a ``VersionConflict``)."""
    _require_work(user, case)
    with transaction.atomic():
        case = versions.lock(case, ["plan_summary"], seen)
        case.plan_summary = summary.strip()
        if case.plan_status in (c.PlanStatus.APPROVED, c.PlanStatus.SUBMITTED):
            case.plan_status = c.PlanStatus.DRAFT
        _save(case, user, _("Ringkasan rencana diubah"))
        _event(case, user, c.EventKind.PLAN, _("Ringkasan rencana diubah"))
    return case


def add_goal(user, case: Case, *, description: str, need_area: str = "") -> Goal:
    _require_work(user, case)
    description = _required_text(description, "description")
    if need_area and need_area not in c.NeedArea.values:
        raise ValidationError({"need_area": _("Bidang kebutuhan tidak dikenal.")})
    with transaction.atomic():
        goal = Goal(case=case, description=description, need_area=need_area)
        _save(goal, user, _("Tujuan ditambahkan"))
        _plan_changed(user, case)
        _event(case, user, c.EventKind.PLAN, _("Tujuan: %(goal)s") % {"goal": description})
    return goal


def add_plan_action(
    user, goal: Goal, *, description: str, responsible: str = "", due_on: date | None = None
) -> PlanAction:
    case = goal.case
    _require_work(user, case)
    description = _required_text(description, "description")
    _not_past(due_on, "due_on")
    with transaction.atomic():
        action = PlanAction(
            goal=goal, description=description, responsible=responsible, due_on=due_on
        )
        _save(action, user, _("Kegiatan ditambahkan"))
        _plan_changed(user, case)
        _event(case, user, c.EventKind.PLAN, _("Kegiatan: %(action)s") % {"action": description})
    return action


def set_plan_action_done(user, action: PlanAction, done: bool = True) -> PlanAction:
    case = action.goal.case
    _require_work(user, case)
    action.done = done
    action.cancelled, action.cancel_reason = False, ""
    with transaction.atomic():
        _save(action, user, _("Kegiatan selesai") if done else _("Kegiatan dibuka lagi"))
        _first_action(case.intake)
        _event(
            case,
            user,
            c.EventKind.PLAN,
            (_("Selesai: %(action)s") if done else _("Dibuka lagi: %(action)s"))
            % {"action": action.description},
        )
    return action


def submit_plan(user, case: Case) -> Case:
    _require_work(user, case)
    if case.assigned_to_id is None:
        raise ValidationError(_("Tugaskan kasus kepada petugas dahulu."))
    if not case.goals.exists():
        raise ValidationError(_("Rencana belum berisi tujuan."))
    if case.plan_status not in (c.PlanStatus.DRAFT, c.PlanStatus.RETURNED):
        raise ValidationError(_("Rencana sudah diajukan atau sudah disetujui."))
    case.plan_status = c.PlanStatus.SUBMITTED
    with transaction.atomic():
        _save(case, user, _("Rencana diajukan"))
        _event(case, user, c.EventKind.PLAN_SUBMITTED)
        _tell_supervisors(
            case, "plan_submitted", _("Rencana menunggu persetujuan: kasus %(number)s")
        )
    return case


def decide_plan(user, case: Case, *, approve: bool, comment: str = "") -> Case:
    _require_supervisor(user, case)
    if case.plan_status != c.PlanStatus.SUBMITTED:
        raise ValidationError(_("Tidak ada rencana yang menunggu persetujuan."))
    if not approve:
        comment = _required_text(comment, "comment", _("Tuliskan apa yang perlu diperbaiki."))
    case.plan_status = c.PlanStatus.APPROVED if approve else c.PlanStatus.RETURNED
    case.plan_decided_by = user
    case.plan_decided_at = timezone.now()
    case.plan_comment = comment
    with transaction.atomic():
        _save(case, user, _("Rencana disetujui") if approve else _("Rencana dikembalikan"))
        _event(
            case,
            user,
            c.EventKind.PLAN_APPROVED if approve else c.EventKind.PLAN_RETURNED,
            comment,
        )
        notify(
            [case.assigned_to],
            kind="plan_decided",
            title=(
                _("Rencana kasus %(number)s disetujui")
                if approve
                else _("Rencana kasus %(number)s dikembalikan")
            )
            % {"number": case.number},
            url=reverse("services:case_detail", args=[case.uid]),
        )
    return case


def add_note(user, case: Case, text: str) -> CaseNote:
    _require_work(user, case, open_only=False)
    text = _required_text(text, "text")
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=user, text=text)
        _first_action(case.intake)
        _event(case, user, c.EventKind.NOTE, text[:200])
    return note


def add_task(user, case: Case, *, title: str, due_on: date, assigned_to=None) -> Task:
    _require_work(user, case)
    title = _required_text(title, "title")
    if due_on is None:
        raise ValidationError({"due_on": _("Isi batas waktu.")})
    if due_on < _today():
        raise ValidationError({"due_on": _("Batas waktu tidak boleh di masa lalu.")})
    assignee = assigned_to or case.assigned_to or user
    if assignee.pk != user.pk and assignee.pk != case.assigned_to_id:
        _check_worker(case.area_code, assignee)
    with transaction.atomic():
        task = Task(case=case, title=title, due_on=due_on, assigned_to=assignee, created_by=user)
        _save(task, user, _("Tindak lanjut dibuat"))
        _first_action(case.intake)
        _event(
            case,
            user,
            c.EventKind.TASK,
            _("%(title)s, batas %(due)s") % {"title": title, "due": due_on.strftime("%d-%m-%Y")},
        )
    return task


def complete_task(user, task: Task) -> Task:
    case = task.case
    _case_in_reach(user, case)
    if task.assigned_to_id != user.pk and not may_work(user, case):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))
    if task.done_at is not None:
        raise ValidationError(_("Tindak lanjut ini sudah selesai."))
    task.done_at = timezone.now()
    task.done_by = user
    with transaction.atomic():
        _save(task, user, _("Tindak lanjut selesai"))
        _event(case, user, c.EventKind.TASK, _("Selesai: %(title)s") % {"title": task.title})
    return task


def record_counselling(
    user,
    case: Case,
    *,
    held_on: date,
    participants: str,
    issues: str,
    agreed_steps: str = "",
    next_session_on: date | None = None,
    counsellor=None,
) -> CounsellingSession:
    """Konsultasi Kesejahteraan Keluarga (K3): note one family counselling session."""
    _require_work(user, case)
    _not_future(held_on, "held_on")
    if next_session_on is not None and next_session_on <= held_on:
        raise ValidationError({"next_session_on": _("Sesi berikutnya harus sesudah sesi ini.")})
    counsellor = counsellor or user
    if counsellor.pk != user.pk:
        _check_worker(case.area_code, counsellor)
    session = CounsellingSession(
        case=case,
        held_on=held_on,
        counsellor=counsellor,
        participants=_required_text(participants, "participants"),
        issues=_required_text(issues, "issues"),
        agreed_steps=agreed_steps.strip(),
        next_session_on=next_session_on,
    )
    with transaction.atomic():
        _save(session, user, _("Sesi K3 dicatat"))
        _first_action(case.intake)
        _event(case, user, c.EventKind.COUNSELLING, held_on.strftime("%d-%m-%Y"))
    return session


def _open_referrals_error(case: Case) -> None:
    open_refs = list(case.referrals.filter(status__in=c.OPEN_REFERRAL).select_related("agency"))
    if open_refs:
        names = ", ".join(
            "{} ({})".format(r.number or _("draf"), r.get_status_display()) for r in open_refs
        )
        raise ValidationError(
            _(
                "Kasus tidak dapat ditutup: masih ada rujukan yang belum selesai: %(list)s. "
                "Tunggu jawaban mitra atau tarik rujukannya."
            )
            % {"list": names}
        )


@dataclass(frozen=True)
class OpenItem:
    """A follow-up or plan action still open under a case: closing asks what became of it.
    ``key`` names it in a closure's ``resolutions`` (``task-<uid>``, ``action-<id>``)."""

    key: str
    kind: str  # "task" | "action"
    label: str
    obj: Task | PlanAction


# What may become of an open item when its case closes.
ITEM_DONE = "done"
ITEM_CANCELLED = "cancelled"


def open_items(case: Case) -> list[OpenItem]:
    """The case's follow-ups not done and plan actions neither done nor cancelled."""
    items = [
        OpenItem(
            f"task-{t.uid}",
            "task",
            _("Tindak lanjut: %(title)s (batas %(due)s)")
            % {"title": t.title, "due": t.due_on.strftime("%d-%m-%Y")},
            t,
        )
        for t in Task.objects.filter(case=case, done_at__isnull=True).order_by("due_on", "id")
    ]
    items += [
        OpenItem(f"action-{a.pk}", "action", _("Kegiatan rencana: %(action)s") % {"action": a}, a)
        for a in PlanAction.objects.filter(goal__case=case, done=False, cancelled=False).order_by(
            "goal_id", "id"
        )
    ]
    return items


def _resolve_open_items(
    user, case: Case, resolutions: Mapping[str, tuple[str, str]] | None
) -> None:
    """Mark each open item done or cancelled (with its reason), as chosen; refuse, naming them,
    while one is left without a choice. Runs inside the closure's transaction."""
    resolutions = resolutions or {}
    errors: dict[str, list[str]] = {}
    left: list[str] = []
    chosen: list[tuple[OpenItem, str, str]] = []
    for item in open_items(case):
        choice, reason = resolutions.get(item.key, ("", ""))
        reason = (reason or "").strip()
        if choice not in (ITEM_DONE, ITEM_CANCELLED):
            left.append(item.label)
            errors[item.key] = [_("Pilih: selesai atau dibatalkan.")]
        elif choice == ITEM_CANCELLED and not reason:
            errors[f"{item.key}-reason"] = [_("Tuliskan alasan pembatalan.")]
        else:
            chosen.append((item, choice, reason[:300]))
    if errors:
        if left:
            errors.setdefault("__all__", []).append(
                _(
                    "Kasus tidak dapat ditutup selama masih ada yang terbuka: %(list)s. "
                    "Tandai masing-masing selesai atau dibatalkan dengan alasannya."
                )
                % {"list": "; ".join(left)}
            )
        raise ValidationError(errors)
    now = timezone.now()
    for item, choice, reason in chosen:
        obj = item.obj
        done = choice == ITEM_DONE
        if isinstance(obj, Task):
            obj.done_at, obj.done_by = now, user
            obj.cancelled, obj.cancel_reason = not done, "" if done else reason
            _save(obj, user, _("Tindak lanjut selesai") if done else _("Tindak lanjut dibatalkan"))
            title = obj.title
            kind = c.EventKind.TASK
        else:
            obj.done = done
            obj.cancelled, obj.cancel_reason = not done, "" if done else reason
            _save(obj, user, _("Kegiatan selesai") if done else _("Kegiatan dibatalkan"))
            title = obj.description
            kind = c.EventKind.PLAN
        detail = (
            _("Selesai: %(title)s") % {"title": title}
            if done
            else _("Dibatalkan: %(title)s (%(reason)s)") % {"title": title, "reason": reason}
        )
        _event(case, user, kind, detail)


def request_closure(
    user,
    case: Case,
    *,
    outcome: str,
    summary: str,
    resolutions: Mapping[str, tuple[str, str]] | None = None,
) -> Case:
    """Ask the supervisor to close the case. Every open follow-up and plan action is marked done
    or cancelled with a reason (``resolutions``: item key to ``(choice, reason)``) in the same
    transaction; the request is refused while one is left open."""
    _require_work(user, case)
    if case.status != c.CaseStatus.OPEN:
        raise ValidationError(_("Penutupan kasus ini sudah diajukan atau kasus sudah ditutup."))
    if outcome not in c.Outcome.values:
        raise ValidationError({"outcome": _("Pilih hasil penanganan.")})
    summary = _required_text(summary, "summary", _("Tuliskan ringkasan penutupan."))
    _open_referrals_error(case)
    case.status = c.CaseStatus.CLOSURE_REQUESTED
    case.outcome = outcome
    case.closure_summary = summary
    case.closure_requested_by = user
    case.closure_requested_at = timezone.now()
    with transaction.atomic():
        _resolve_open_items(user, case, resolutions)
        _save(case, user, _("Penutupan diajukan"))
        _event(case, user, c.EventKind.CLOSURE_REQUESTED, str(c.Outcome(outcome).label))
        _tell_supervisors(
            case, "closure_requested", _("Penutupan menunggu persetujuan: kasus %(number)s")
        )
    return case


def _nothing_left_open(case: Case) -> None:
    """A follow-up or plan action added after the closure was requested keeps the case open."""
    left = [item.label for item in open_items(case)]
    if left:
        raise ValidationError(
            _(
                "Kasus tidak dapat ditutup: masih ada yang terbuka: %(list)s. Tolak penutupan "
                "agar petugas menandai masing-masing selesai atau dibatalkan."
            )
            % {"list": "; ".join(left)}
        )


def decide_closure(user, case: Case, *, approve: bool, comment: str = "") -> Case:
    _require_supervisor(user, case)
    if case.status != c.CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("Tidak ada penutupan yang menunggu persetujuan."))
    now = timezone.now()
    with transaction.atomic():
        if approve:
            _open_referrals_error(case)
            _nothing_left_open(case)
            case.status = c.CaseStatus.CLOSED
            case.closed_by = user
            case.closed_at = now
            intake = case.intake
            intake.status = c.IntakeStatus.CLOSED
            intake.closed_at = now
            _save(intake, user, _("Kasus ditutup"))
            _save(case, user, _("Penutupan disetujui"))
            _event(case, user, c.EventKind.CLOSED, comment)
        else:
            comment = _required_text(comment, "comment", _("Tuliskan alasan penolakan."))
            case.status = c.CaseStatus.OPEN
            _save(case, user, _("Penutupan ditolak"))
            _event(case, user, c.EventKind.CLOSURE_REJECTED, comment)
        notify(
            [case.assigned_to],
            kind="closure_decided",
            title=(
                _("Penutupan kasus %(number)s disetujui")
                if approve
                else _("Penutupan kasus %(number)s ditolak")
            )
            % {"number": case.number},
            url=reverse("services:case_detail", args=[case.uid]),
        )
    return case


def reopen_case(user, case: Case, reason: str) -> Case:
    _require_work(user, case, open_only=False)
    if case.status != c.CaseStatus.CLOSED:
        raise ValidationError(_("Kasus ini belum ditutup."))
    reason = _required_text(reason, "reason", _("Tuliskan alasan membuka kembali."))
    case.status = c.CaseStatus.OPEN
    case.reopened_count += 1
    case.closed_at = None
    case.closed_by = None
    with transaction.atomic():
        intake = case.intake
        intake.status = c.IntakeStatus.IN_CASE
        intake.closed_at = None
        _save(intake, user, _("Kasus dibuka kembali"))
        # The reason is in the case trail, encrypted; not in the history's plain reason column.
        _save(case, user, _("Kasus dibuka kembali"))
        _event(case, user, c.EventKind.REOPENED, reason)
    return case
