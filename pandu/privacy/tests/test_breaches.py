"""The breach register: the 3×24-hour clock from the moment the breach was known, shown
counting down and red once late; administrators, the data protection officer and the head are
told at once, when under a day is left and when late, each once; every notice is recorded and
the first to each party stops its part of the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.notifications.models import Notification
from pandu.privacy import actions, deadlines, tasks
from pandu.privacy.models import Breach

from .conftest import wita

pytestmark = pytest.mark.django_db


def _breach(user, **extra):
    data = {
        "area_code": "73.09",
        "discovered_at": wita(2026, 3, 5, 22, 15),
        "title": "Laptop operator hilang",
        "description": "Laptop berisi salinan daftar KPM Moncongloe hilang di angkutan umum.",
        "categories": ["identity", "financial"],
        "people_affected": 1200,
        "people_estimated": True,
    }
    data.update(extra)
    return actions.record_breach(user, **data)


def test_the_clock_runs_72_hours_from_discovery(personas):
    breach = _breach(personas["admin_maros"])
    assert breach.notify_due == wita(2026, 3, 8, 22, 15)
    assert breach.number == f"INS-2026-{breach.pk:04d}"
    assert breach.specific_data  # financial data is specific personal data
    assert not breach.notice_overdue(wita(2026, 3, 8, 22, 14))
    assert breach.notice_overdue(wita(2026, 3, 8, 22, 16))


def test_administrators_the_officer_and_the_head_are_told_at_once(personas):
    breach = _breach(personas["auditor"])
    told = {n.user.username for n in Notification.objects.filter(kind="privacy_breach")}
    assert told == {"admin_maros", "auditor", "head"}
    assert all(breach.number in n.title for n in Notification.objects.all())


def test_reminders_come_once_when_due_soon_and_once_when_late(personas):
    breach = _breach(personas["admin_maros"])
    Notification.objects.all().delete()
    assert actions.breach_reminders(wita(2026, 3, 6, 12, 0))["notifications"] == 0
    soon = actions.breach_reminders(wita(2026, 3, 8, 0, 0))
    assert soon == {"soon": 1, "overdue": 0, "notifications": 3}
    assert actions.breach_reminders(wita(2026, 3, 8, 1, 0))["notifications"] == 0
    late = actions.breach_reminders(wita(2026, 3, 9, 8, 0))
    assert late == {"soon": 0, "overdue": 1, "notifications": 3}
    titles = set(Notification.objects.values_list("title", flat=True))
    assert any("Lewat batas 3×24 jam" in t and breach.number in t for t in titles)


def test_notices_stop_the_clock_and_a_breach_closes_only_after_both(personas):
    user = personas["admin_maros"]
    breach = _breach(user)
    with pytest.raises(ValidationError):
        actions.close_breach(user, breach, note="Selesai")
    with pytest.raises(ValidationError) as e:
        actions.record_notice(
            user, breach, recipient="subjects", method="letter",
            sent_at=wita(2026, 3, 5, 20, 0), summary="Pemberitahuan",
        )  # fmt: skip
    assert "sent_at" in e.value.message_dict  # before the breach was known
    actions.record_notice(
        user, breach, recipient="subjects", method="message", sent_at=wita(2026, 3, 7, 9, 0),
        summary="SMS kepada KPM terdampak", recipients_count=1180,
    )  # fmt: skip
    breach.refresh_from_db()
    assert breach.subjects_notified_at == wita(2026, 3, 7, 9, 0) and not breach.fully_notified
    actions.record_notice(
        user, breach, recipient="authority", method="letter", sent_at=wita(2026, 3, 8, 10, 0),
        summary="Surat kepada lembaga PDP", reference="400/77/DINSOS/2026",
    )  # fmt: skip
    breach.refresh_from_db()
    assert breach.fully_notified and not breach.notice_overdue(wita(2026, 3, 20))
    assert actions.breach_reminders(wita(2026, 3, 9))["notifications"] == 0
    breach = actions.close_breach(user, breach, note="Laptop ditemukan, data terenkripsi.")
    assert breach.status == "closed" and breach.notices.count() == 2
    with pytest.raises(ValidationError):
        actions.update_breach(user, breach, {"people_affected": 3})


def test_an_update_is_kept_in_the_history(personas):
    user = personas["admin_maros"]
    breach = _breach(user)
    breach = actions.update_breach(
        user, breach, {"people_affected": 1180, "status": "contained"}, "Dihitung ulang"
    )
    assert breach.people_affected == 1180 and breach.status == "contained"
    assert breach.history.latest("history_id").history_change_reason == "Dihitung ulang"
    with pytest.raises(ValidationError):
        actions.update_breach(user, breach, {"status": "closed"})
    with pytest.raises(ValidationError):
        actions.update_breach(user, breach, {"categories": ["nonsense"]})


def test_only_breach_keepers_of_the_area_record(personas):
    for who in ("front_office", "head", "social_worker"):
        with pytest.raises(PermissionDenied):
            _breach(personas[who])
    with pytest.raises(PermissionDenied):
        _breach(personas["admin_makassar"])
    with pytest.raises(ValidationError):
        _breach(personas["admin_maros"], discovered_at=timezone.now() + timedelta(hours=2))
    assert not Breach.objects.exists()


def test_the_page_counts_down_and_shows_a_late_breach_in_red(personas):
    user = personas["admin_maros"]
    now = timezone.now()
    fresh = _breach(user, discovered_at=now - timedelta(hours=1), title="Surel salah kirim")
    late = _breach(user, discovered_at=now - timedelta(days=4), title="Map hilang")
    client = Client()
    client.force_login(personas["head"])
    page = client.get(reverse("privacy:breach_detail", args=[fresh.uid])).content.decode()
    assert 'data-clock="running"' in page and "data-countdown=" in page
    assert "sisa 2 hari 22 jam" in page or "sisa 2 hari 23 jam" in page
    assert "countdown.js" in page
    page = client.get(reverse("privacy:breach_detail", args=[late.uid])).content.decode()
    assert 'data-clock="overdue"' in page and "border-danger" in page and "terlambat 1 hari" in page
    listing = client.get(reverse("privacy:breach_list")).content.decode()
    assert "text-bg-danger" in listing and "1 pemberitahuan terlambat" in listing
    only_late = client.get(reverse("privacy:breach_list") + "?overdue=true").content.decode()
    assert "Map hilang" in only_late and "Surel salah kirim" not in only_late
    assert reverse("privacy:breach_edit", args=[late.uid]) not in page  # the head only reads


def test_the_hourly_task_sends_the_reminders(personas, settings):
    assert settings.CELERY_BEAT_SCHEDULE["privacy-breach-clock"]["task"] == "privacy.breach_clock"
    now = timezone.now()
    _breach(
        personas["admin_maros"], discovered_at=now - deadlines.DUE_SOON * 3 - timedelta(hours=1)
    )
    Notification.objects.all().delete()
    result = tasks.breach_clock.apply().get()
    assert result["overdue"] == 1 and Notification.objects.count() == 3
