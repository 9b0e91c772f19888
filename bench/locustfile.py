"""Locust users for ``bench/load.py``: an office's day against a registry of about 1M people.

Mostly desk staff (front office, signed in through the login form, a page every 1–3 s), a few
API clients (a token, the person lookup, the households list and person pages), and one health
probe a second, whose ``/healthz`` is the cheapest request and the baseline of the report.

The people, households, villages, accounts and token come from the JSON file named by
``LOAD_SAMPLES`` (written by ``bench/load.py``). NIKs are always posted, never put in an address.
Every request is named with a stable pattern (``/registri/penduduk/[uid]/``), so the figures
group by page, not by record.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from urllib.parse import quote

from locust import HttpUser, between, constant, task

SAMPLES_PATH = Path(
    os.environ.get(
        "LOAD_SAMPLES", Path(__file__).resolve().parent.parent / "var/bench/load-samples.json"
    )
)
DATA = json.loads(SAMPLES_PATH.read_text())


def _check(response, expected: tuple[int, ...] = (200,)) -> None:
    """A wrong status, or a page that went back to the login form, counts as a failure."""
    if response.status_code not in expected:
        response.failure(f"status {response.status_code}")
    elif response.history and "/akun/masuk/" in response.url:
        response.failure("sent back to the login form")
    else:
        response.success()


class DeskStaff(HttpUser):
    """Front office staff: search, read people and families, check the lists."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.get("/akun/masuk/", name="/akun/masuk/ (form)")
        csrf = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/akun/masuk/",
            data={
                "username": DATA["desk_username"],
                "password": DATA["password"],
                "csrfmiddlewaretoken": csrf,
            },
            headers={"Referer": f"{self.host}/akun/masuk/"},
            name="/akun/masuk/ (sign in)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"sign-in failed (status {response.status_code})")
            else:
                response.success()

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            _check(response)

    @task(3)
    def home(self) -> None:
        self._get("/", "/ (beranda)")

    @task(6)
    def search_name(self) -> None:
        q = quote(random.choice(DATA["names"]))
        self._get(f"/registri/cari/?q={q}", "/registri/cari/?q=[nama]")

    @task(3)
    def search_nik(self) -> None:
        with self.client.post(
            "/registri/cari/",
            data={
                "q": random.choice(DATA["niks"]),
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{self.host}/registri/cari/"},
            name="/registri/cari/ (POST NIK)",
            catch_response=True,
        ) as response:
            _check(response)

    @task(2)
    def person_list(self) -> None:
        self._get("/registri/penduduk/", "/registri/penduduk/")

    @task(6)
    def person_detail(self) -> None:
        uid = random.choice(DATA["person_uids"])
        self._get(f"/registri/penduduk/{uid}/", "/registri/penduduk/[uid]/")

    @task(4)
    def household_detail(self) -> None:
        uid = random.choice(DATA["household_uids"])
        self._get(f"/registri/keluarga/{uid}/", "/registri/keluarga/[uid]/")

    @task(2)
    def household_list_village(self) -> None:
        village = random.choice(DATA["villages"])
        self._get(f"/registri/keluarga/?area={village}", "/registri/keluarga/?area=[desa]")

    @task(1)
    def services(self) -> None:
        self._get("/layanan/", "/layanan/")

    @task(1)
    def programmes(self) -> None:
        self._get("/program/", "/program/")


class ApiClient(HttpUser):
    """Another office's system with a token: looks people up by NIK and reads records."""

    weight = 1
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.headers.update(
            {"Authorization": f"Token {DATA['token']}", "Accept": "application/json"}
        )

    @task(4)
    def person_by_nik(self) -> None:
        with self.client.post(
            "/api/v1/persons/search/",
            json={"nik": random.choice(DATA["niks"])},
            name="/api/v1/persons/search/ (NIK)",
            catch_response=True,
        ) as response:
            _check(response)
            if response.status_code == 200 and not response.json().get("results"):
                response.failure("NIK of a sampled person not found")

    @task(2)
    def households(self) -> None:
        village = random.choice(DATA["villages"])
        with self.client.get(
            f"/api/v1/households/?area={village}",
            name="/api/v1/households/?area=[desa]",
            catch_response=True,
        ) as response:
            _check(response)

    @task(3)
    def person_detail(self) -> None:
        uid = random.choice(DATA["person_uids"])
        with self.client.get(
            f"/api/v1/persons/{uid}/", name="/api/v1/persons/[uid]/", catch_response=True
        ) as response:
            _check(response)


class HealthProbe(HttpUser):
    """What a load balancer asks every second; the cheapest request, the report's baseline."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def healthz(self) -> None:
        with self.client.get(
            "/healthz?check=database", name="/healthz", catch_response=True
        ) as response:
            _check(response)
