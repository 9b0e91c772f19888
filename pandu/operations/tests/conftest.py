"""The operations tests' site: a healthy one, with a metrics token and a trusted network."""

import pytest
from django.utils import timezone

from pandu.core.workers import beat

TOKEN = "metrics-token-for-the-tests-0123456789abcdef"


@pytest.fixture
def healthy(settings, tmp_path):
    """A worker beat just now and the file queue's folders exist: every check passes."""
    folders = {}
    for name in ("queue", "processed"):
        (tmp_path / name).mkdir()
        folders[name] = str(tmp_path / name)
    settings.CELERY_BROKER_URL = "filesystem://localhost/"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": folders["queue"],
        "data_folder_out": folders["queue"],
        "processed_folder": folders["processed"],
    }
    settings.PANDU_METRICS_TOKEN = TOKEN
    settings.PANDU_METRICS_ALLOWED_NETWORKS = ["192.0.2.0/24"]
    beat("worker1@test", timezone.now())
