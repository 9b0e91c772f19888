"""The Celery app that runs Pandu's background jobs (``celery -A pandu worker``).

Settings come from Django's (``CELERY_*``); each app's job bodies and periodic tasks are in its
``tasks.py``, found by autodiscovery. How a job is queued, run, retried and recovered:
``pandu.core.jobs``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")

app = Celery("pandu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
