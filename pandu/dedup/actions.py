"""Every change the deduplication makes: runs, decisions on pairs, merges and their undoing.

A merge never deletes: the merged record gets ``status=merged`` and ``merged_into`` the
survivor; every link to it (PPKS, PSKS roles, memberships and any other foreign key found through
``Person._meta.related_objects``) moves to the survivor, each move saved with a history reason,
and the Merge row lists what moved so :func:`undo_merge` can put it all back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.history import stamp
from pandu.registry import choices as c
from pandu.registry.models import Membership, Person
from pandu.registry.nik import check_nik

from . import pipeline
from .linkage import Progress, _no_progress
from .models import DuplicatePair, Merge, PairStatus

# Models of this app point at Person too, but they describe the merge, so they never move.
NOT_MOVED = {"dedup.duplicatepair", "dedup.merge"}
PERSON_BEFORE_FIELDS = ("status", "status_date", "status_reason", "merged_into_id")


def _require_review(user, *people: Person) -> None:
    if not user.can(Cap.REVIEW_DUPLICATES) or not all(user.in_scope(p.area_code) for p in people):
        raise PermissionDenied(_("Anda tidak berwenang memeriksa data ganda di wilayah ini."))


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan keputusan ini.")]})
    return reason[:300]


# --- Batch run ------------------------------------------------------------------------------


def find_duplicates(
    user=None,
    *,
    area: str = "",
    threshold: float = pipeline.DEFAULT_THRESHOLD,
    train: bool | None = None,
    export: Path | None = None,
    progress: Progress = _no_progress,
) -> pipeline.RunOutcome:
    """Score the registry (or ``area``) and store the pairs; ``user=None`` is the command line."""
    if user is not None:
        if not user.can(Cap.RUN_DEDUP) or user.scope_code is None:
            raise PermissionDenied(_("Anda tidak berwenang menjalankan pencarian data ganda."))
        scope = user.scope_code
        area = area or scope
        if not area.startswith(scope):
            raise PermissionDenied(_("Wilayah ini di luar wilayah kerja Anda."))
    if not 0 < threshold < 1:
        raise ValidationError({"threshold": [_("Ambang harus di antara 0 dan 1.")]})
    return pipeline.run(
        area=area, threshold=threshold, user=user, train=train, export=export, progress=progress
    )


# --- Decisions on a pair --------------------------------------------------------------------


@transaction.atomic
def dismiss_pair(user, pair: DuplicatePair, *, reason: str) -> DuplicatePair:
    """Two different people after all; the pair stays dismissed when later runs find it again."""
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    _require_review(user, pair.person_a, pair.person_b)
    if pair.status != PairStatus.OPEN:
        raise ValidationError({"status": [_("Pasangan ini sudah diputuskan.")]})
    pair.status, pair.reason = PairStatus.DISMISSED, _reason(reason)
    pair.decided_by, pair.decided_at = user, timezone.now()
    pair.save()
    return pair


def nik_is_valid(person: Person) -> bool:
    return check_nik(person.nik, birth_date=person.birth_date, sex=person.sex).valid and not (
        person.quality_flags
    )


def completeness(person: Person) -> int:
    """How many optional fields are filled: the more complete record is the better survivor."""
    fields = [f for f in Person._meta.concrete_fields if f.null or f.blank]
    return sum(1 for f in fields if getattr(person, f.attname) not in (None, "", [], {}))


def choose_survivor(a: Person, b: Person) -> Person:
    """The record with a valid NIK (matching birth date and sex), then the most complete one,
    then the older one."""

    def rank(p: Person) -> tuple:
        return (nik_is_valid(p), completeness(p), -p.pk)

    return a if rank(a) >= rank(b) else b


@transaction.atomic
def confirm_pair(
    user, pair: DuplicatePair, *, reason: str, survivor: Person | None = None
) -> Merge:
    """The two are one person: merge them, keeping ``survivor`` (or :func:`choose_survivor`)."""
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != PairStatus.OPEN:
        raise ValidationError({"status": [_("Pasangan ini sudah diputuskan.")]})
    merge = merge_people(user, pair.person_a, pair.person_b, survivor=survivor, reason=reason)
    merge.pair = pair
    merge.save(update_fields=["pair"])
    pair.status, pair.reason = PairStatus.CONFIRMED, merge.reason
    pair.decided_by, pair.decided_at = user, timezone.now()
    pair.save()
    return merge


# --- Merging --------------------------------------------------------------------------------


def _links_to_person():
    """Every foreign key (and one-to-one) from another model to Person, except dedup's own."""
    for rel in Person._meta.related_objects:
        if rel.many_to_many or not (rel.one_to_many or rel.one_to_one):
            continue
        model = rel.related_model
        if model._meta.label_lower in NOT_MOVED or not model._meta.managed:
            continue
        yield model, rel.field


def _has_history(model) -> bool:
    return hasattr(model, "history") and hasattr(model._meta, "simple_history_manager_attribute")


@transaction.atomic
def merge_people(user, a: Person, b: Person, *, reason: str, survivor: Person | None = None):
    """Merge two active records into one; returns the :class:`Merge` that can undo it."""
    reason = _reason(reason)
    if a.pk == b.pk:
        raise ValidationError({"survivor": [_("Tidak bisa menggabungkan data dengan dirinya.")]})
    first, second = sorted(
        Person.objects.select_for_update().filter(pk__in=[a.pk, b.pk]), key=lambda p: p.pk
    )
    _require_review(user, first, second)
    if first.status != c.PersonStatus.ACTIVE or second.status != c.PersonStatus.ACTIVE:
        raise ValidationError(
            {"status": [_("Hanya data penduduk yang masih aktif yang dapat digabung.")]}
        )
    if survivor is None:
        keep = choose_survivor(first, second)
    elif survivor.pk in (first.pk, second.pk):
        keep = first if survivor.pk == first.pk else second
    else:
        raise ValidationError({"survivor": [_("Pilih salah satu dari kedua data.")]})
    gone = second if keep.pk == first.pk else first
    history_reason = _("Penggabungan data ganda: %(reason)s") % {"reason": reason}

    moved: list[dict[str, Any]] = []
    for model, field in _links_to_person():
        ids = list(model._default_manager.filter(**{field.name: gone}).values_list("pk", flat=True))
        if not ids:
            continue
        entry: dict[str, Any] = {
            "model": model._meta.label_lower,
            "field": field.name,
            "ids": ids,
            "before": {},
        }
        try:
            with transaction.atomic():
                _move(model, field, ids, gone, keep, user, history_reason, entry)
        except IntegrityError:
            raise ValidationError(
                {
                    "survivor": [
                        _("Tidak dapat memindahkan %(what)s: kedua data sudah memilikinya.")
                        % {"what": model._meta.verbose_name}
                    ]
                }
            ) from None
        moved.append(entry)

    person_before = {f: _jsonable(getattr(gone, f)) for f in PERSON_BEFORE_FIELDS}
    gone.status, gone.status_date = c.PersonStatus.MERGED, date.today()
    gone.status_reason, gone.merged_into = reason, keep
    stamp(gone, user, history_reason)
    gone.save()
    stamp(
        keep, user, _("Menerima data dari penggabungan data ganda: %(reason)s") % {"reason": reason}
    )
    keep.save()
    return Merge.objects.create(
        survivor=keep,
        merged=gone,
        merged_by=user,
        reason=reason,
        moved=moved,
        person_before=person_before,
    )


def _move(model, field, ids, gone: Person, keep: Person, user, reason: str, entry) -> None:
    today = date.today()
    if model is Membership:
        # The survivor's current household stays current; the merged record's becomes history.
        keep_has_current = Membership.objects.filter(person=keep, ended__isnull=True).exists()
        for m in Membership.objects.filter(pk__in=ids, ended__isnull=True):
            if keep_has_current:
                entry["before"][str(m.pk)] = {"ended": None, "reason": m.reason}
                m.ended, m.reason = today, reason[:300]
                m.save(update_fields=["ended", "reason"])
    # Records scoped by the person's area (PPKS) follow the survivor's area, as on a move.
    follows_area = any(f.name == "area_code" for f in model._meta.concrete_fields)
    if _has_history(model):
        for obj in model._default_manager.filter(pk__in=ids):
            setattr(obj, field.attname, keep.pk)
            if follows_area and obj.area_code != keep.area_code:
                entry["before"].setdefault(str(obj.pk), {})["area_code"] = obj.area_code
                obj.area_code = keep.area_code
            stamp(obj, user, reason)
            obj.save()
    else:
        for obj in model._default_manager.filter(pk__in=ids):
            changed = [field.attname]
            setattr(obj, field.attname, keep.pk)
            if follows_area and obj.area_code != keep.area_code:
                entry["before"].setdefault(str(obj.pk), {})["area_code"] = obj.area_code
                obj.area_code = keep.area_code
                changed.append("area_code")
            obj.save(update_fields=changed)


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def undo_merge(user, merge: Merge, *, reason: str) -> Merge:
    """Move every link back, reactivate the merged record and reopen the pair."""
    reason = _reason(reason)
    merge = Merge.objects.select_for_update().select_related("survivor", "merged").get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError({"status": [_("Penggabungan ini sudah dibatalkan.")]})
    keep, gone = merge.survivor, merge.merged
    _require_review(user, keep, gone)
    if gone.status != c.PersonStatus.MERGED or gone.merged_into_id != keep.pk:
        raise ValidationError(
            {"status": [_("Data yang digabung sudah berubah sejak penggabungan.")]}
        )
    history_reason = _("Pembatalan penggabungan data ganda: %(reason)s") % {"reason": reason}
    for entry in reversed(merge.moved):
        model = apps.get_model(entry["model"])
        field = model._meta.get_field(entry["field"])
        ids = list(
            model._default_manager.filter(
                pk__in=entry["ids"], **{field.attname: keep.pk}
            ).values_list("pk", flat=True)
        )
        if _has_history(model):
            for obj in model._default_manager.filter(pk__in=ids):
                setattr(obj, field.attname, gone.pk)
                _restore(obj, entry["before"].get(str(obj.pk), {}))
                stamp(obj, user, history_reason)
                obj.save()
        else:
            for obj in model._default_manager.filter(pk__in=ids):
                setattr(obj, field.attname, gone.pk)
                before = entry["before"].get(str(obj.pk), {})
                _restore(obj, before)
                obj.save(update_fields=[field.attname, *before.keys()])
    gone = Person.objects.select_for_update().get(pk=gone.pk)
    for name, value in merge.person_before.items():
        if name == "status_date" and value:
            value = date.fromisoformat(value)
        setattr(gone, name, value)
    stamp(gone, user, history_reason)
    gone.save()
    stamp(keep, user, history_reason)
    keep.save()
    merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), user, reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    if merge.pair_id:
        DuplicatePair.objects.filter(pk=merge.pair_id).update(
            status=PairStatus.OPEN, reason=reason, decided_by=user, decided_at=timezone.now()
        )
    return merge


def _restore(obj: models.Model, before: dict[str, Any]) -> None:
    for name, value in before.items():
        field = obj._meta.get_field(name)
        if value is not None and isinstance(field, models.DateField):
            value = date.fromisoformat(value)
        setattr(obj, name, value)
