"""The bell, the list and the API as a user meets them."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.notifications import actions
from pandu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_bell_in_the_top_bar_counts_the_unread(personas):
    andi = personas["social_worker"]
    actions.notify([andi], "test", "Satu")
    actions.notify([andi], "test", "Dua")
    actions.notify([personas["front_office"]], "test", "Punya Dewi")
    page = client_for(andi).get(reverse("portal:home")).content.decode()
    bell = re.search(r'<a [^>]*id="notification-bell".*?</a>', page, re.S).group(0)
    assert "data-unread>2<" in bell and reverse("notifications:list") in bell
    assert f'hx-get="{reverse("notifications:bell")}"' in bell


def test_the_bell_refresh_is_one_cheap_query(personas, django_assert_num_queries):
    andi = personas["social_worker"]
    actions.notify([andi], "test", "Satu")
    client = client_for(andi)
    client.get(reverse("notifications:bell"))  # the session is read once the first time
    with django_assert_num_queries(3):  # session, user, the count
        text = client.get(reverse("notifications:bell")).content.decode()
    assert "data-unread>1<" in text
    actions.mark_all_read(andi)
    assert "data-unread" not in client.get(reverse("notifications:bell")).content.decode()


def test_the_list_is_paged_newest_first_and_filtered_by_read_or_unread(personas):
    andi = personas["social_worker"]
    for i in range(60):
        actions.notify([andi], "test", f"Pemberitahuan nomor {i}.")
    client = client_for(andi)
    first = client.get(reverse("notifications:list")).content.decode()
    shown = re.findall(r"Pemberitahuan nomor (\d+)\.", first)
    assert len(shown) == 50 and shown[0] == "59" and "page=2" in first
    second = client.get(reverse("notifications:list"), {"page": "2"}).content.decode()
    assert len(re.findall(r"Pemberitahuan nomor (\d+)\.", second)) == 10
    for note in Notification.objects.filter(title__in=["Pemberitahuan nomor 3."]):
        actions.mark_read(andi, note)
    read = client.get(reverse("notifications:list"), {"status": "read"}).content.decode()
    assert re.findall(r"Pemberitahuan nomor (\d+)\.", read) == ["3"]
    unread = client.get(reverse("notifications:list"), {"status": "unread"}).content.decode()
    assert "Pemberitahuan nomor 3." not in unread and "Pemberitahuan nomor 59." in unread
    odd = client.get(reverse("notifications:list"), {"status": "x", "page": "-1"})
    assert odd.status_code == 200


def test_following_marking_one_and_marking_all_read(personas):
    andi = personas["social_worker"]
    one, two, three = (
        actions.notify([andi], "test", t, url="/layanan/")[0] for t in ("A", "B", "C")
    )
    client = client_for(andi)
    response = client.get(reverse("notifications:open", args=[one.uid]))
    assert response.status_code == 302 and response["Location"] == "/layanan/"
    back = reverse("notifications:list") + "?status=unread"
    response = client.post(reverse("notifications:read", args=[two.uid]), {"next": back})
    assert response["Location"] == back
    assert set(Notification.objects.unread().values_list("title", flat=True)) == {"C"}
    response = client.post(reverse("notifications:read_all"), {"next": "https://example.com/"})
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.unread().exists()


def test_the_old_service_addresses_lead_to_the_new_pages(personas):
    andi = personas["social_worker"]
    actions.notify([andi], "test", "Lama")
    client = client_for(andi)
    response = client.get(reverse("services:notifications"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    client.post(reverse("services:notifications_read"))
    assert not Notification.objects.unread().exists()


def test_the_api_lists_only_the_callers_own_and_marks_them_read(personas):
    andi = personas["social_worker"]
    mine = actions.notify([andi], "case_assigned", "Kasus baru ditugaskan: X", url="/x/")[0]
    actions.notify([andi], "test", "Kedua")
    actions.notify([personas["front_office"]], "test", "Punya Dewi")
    client = APIClient()
    token = api_token(andi)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [r["title"] for r in rows] == ["Kedua", "Kasus baru ditugaskan: X"]
    assert rows[1]["uid"] == str(mine.uid) and rows[1]["read"] is False
    answer = client.post(f"/api/v1/notifications/{mine.uid}/read/")
    assert answer.status_code == 200 and answer.json()["read"] is True
    unread = client.get("/api/v1/notifications/", {"status": "unread"}).json()["results"]
    assert [r["title"] for r in unread] == ["Kedua"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/", {"status": "bogus"}).status_code == 400
