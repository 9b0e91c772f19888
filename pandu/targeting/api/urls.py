"""/api/v1/targeting/runs/ and /api/v1/households/{uid}/eligibility/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "targeting-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("targeting/runs", views.RunViewSet, basename="run")

urlpatterns = [
    path(
        "households/<uuid:uid>/eligibility/",
        views.EligibilityView.as_view(),
        name="household-eligibility",
    ),
    *router.urls,
]
