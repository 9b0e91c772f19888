"""Programmes, mounted at /api/v1/programmes/."""

from rest_framework.routers import SimpleRouter

from . import enrolment, views

app_name = "programs-api"

router = SimpleRouter()
router.register("enrolments", enrolment.EnrolmentViewSet, basename="enrolment")
router.register("integrated", views.IntegratedProgrammeViewSet, basename="integrated")
router.register("", views.ProgrammeViewSet, basename="programme")

urlpatterns = router.urls
