"""/api/v1/privacy/: consents, the consent check, requests and breaches (read only)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "privacy-api"

router = SimpleRouter()
router.register("consents", views.ConsentViewSet, basename="consent")
router.register("requests", views.RequestViewSet, basename="request")
router.register("breaches", views.BreachViewSet, basename="breach")

urlpatterns = [
    path("consent-check/", views.ConsentCheckView.as_view(), name="consent-check"),
    *router.urls,
]
