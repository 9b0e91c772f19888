"""Pandu: integrated social-welfare services. The Celery app loads with Django so that
``shared_task`` bodies bind to it."""

from .celery import app as celery_app

__all__ = ("celery_app",)
