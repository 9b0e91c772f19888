"""Programmes, mounted at /api/v1/programmes/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import accuracy, enrolment, views

app_name = "programs-api"

router = SimpleRouter()
router.register("enrolments", enrolment.EnrolmentViewSet, basename="enrolment")
router.register("integrated", views.IntegratedProgrammeViewSet, basename="integrated")
router.register("", views.ProgrammeViewSet, basename="programme")

# Before the router's: its last pattern takes any word as a programme code.
urlpatterns = [
    path("accuracy/", accuracy.AccuracyReportView.as_view(), name="accuracy"),
    path(
        "accuracy/<slug:finding>/",
        accuracy.AccuracyFamiliesView.as_view(),
        name="accuracy-families",
    ),
    *router.urls,
]
