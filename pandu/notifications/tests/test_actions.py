"""Telling users: once per key, never the inactive, mail only after the commit and only when
the site sends mail, and a mail server that fails never undoes the work."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from pandu.notifications import actions
from pandu.notifications.models import Notification
from pandu.notifications.queries import nearest_holders, unread_count

pytestmark = pytest.mark.django_db


def test_each_user_is_told_once_and_the_inactive_not_at_all(personas):
    andi, dewi, head = personas["social_worker"], personas["front_office"], personas["head"]
    head.is_active = False
    head.save()
    created = actions.notify([andi, andi, None, dewi, head], "test", "Kasus baru", url="/x/")
    assert sorted(n.user.username for n in created) == ["front_office", "social_worker"]
    assert Notification.objects.count() == 2


def test_a_key_makes_a_repeated_call_harmless(personas):
    andi, dewi = personas["social_worker"], personas["front_office"]
    assert len(actions.notify([andi], "digest", "Hari ini", key="digest:2026-01-05")) == 1
    again = actions.notify([andi, dewi], "digest", "Hari ini", key="digest:2026-01-05")
    assert [n.user for n in again] == [dewi]
    assert Notification.objects.filter(user=andi).count() == 1
    assert len(actions.notify([andi], "digest", "Besok", key="digest:2026-01-06")) == 1


def test_mail_leaves_after_the_commit_when_the_site_sends_mail(
    personas, settings, django_capture_on_commit_callbacks
):
    andi, dewi = personas["social_worker"], personas["front_office"]
    andi.email = "andi@dinsos.example"
    andi.save()
    settings.EMAIL_HOST = "smtp.example.go.id"
    settings.PANDU_SITE_URL = "https://pandu.example.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([andi, dewi], "case_assigned", "Kasus baru ditugaskan: X", url="/layanan/")
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["andi@dinsos.example"]
    assert mail.outbox[0].subject == "[Pandu] Kasus baru ditugaskan: X"
    assert "https://pandu.example.go.id/layanan/" in mail.outbox[0].body


def test_no_mail_when_the_site_sends_none_or_the_change_rolls_back(
    personas, settings, django_capture_on_commit_callbacks
):
    andi = personas["social_worker"]
    andi.email = "andi@dinsos.example"
    andi.save()
    settings.EMAIL_HOST = "localhost"
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([andi], "test", "Satu")
    settings.PANDU_NOTIFY_EMAIL = True
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.notify([andi], "test", "Dua")
        raise RuntimeError("the action failed after telling")
    assert mail.outbox == []
    assert list(Notification.objects.values_list("title", flat=True)) == ["Satu"]


def test_a_failing_mail_server_never_breaks_the_action(
    personas, settings, django_capture_on_commit_callbacks
):
    andi = personas["social_worker"]
    andi.email = "andi@dinsos.example"
    andi.save()
    settings.PANDU_NOTIFY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with django_capture_on_commit_callbacks(execute=True):
        created = actions.notify([andi], "test", "Tetap tersimpan")
    assert len(created) == 1 and Notification.objects.filter(user=andi).exists()


def test_marking_read_one_and_all(personas):
    andi, dewi = personas["social_worker"], personas["front_office"]
    first, second = (actions.notify([andi], "test", t)[0] for t in ("Satu", "Dua"))
    theirs = actions.notify([dewi], "test", "Punya Dewi")[0]
    assert unread_count(andi) == 2
    actions.mark_read(andi, first)
    assert unread_count(andi) == 1
    with pytest.raises(PermissionDenied):
        actions.mark_read(andi, theirs)
    assert actions.mark_all_read(andi) == 1
    assert unread_count(andi) == 0 and unread_count(dewi) == 1
    second.refresh_from_db()
    assert second.read_at is not None


def test_a_link_leads_only_within_the_site(personas):
    andi = personas["social_worker"]
    inside = actions.notify([andi], "test", "Di sini", url="/layanan/")[0]
    outside = actions.notify([andi], "test", "Di luar", url="https://example.com/")[0]
    assert actions.open_notification(andi, inside) == "/layanan/"
    assert actions.open_notification(andi, outside) == ""
    assert unread_count(andi) == 0


def test_the_nearest_holders_of_a_step_are_the_ones_told(personas):
    names = {u.username for u in nearest_holders("proposals.verify", "73.09.13.2003")}
    assert names == {"tksk_moncongloe"}
    assert {u.username for u in nearest_holders("proposals.decide", "73.09.13.2003")} == {
        "admin_maros"
    }
    assert nearest_holders("proposals.verify", "73.71.01.1001") == []
