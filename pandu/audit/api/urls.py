"""The access log, mounted at /api/v1/audit/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "audit-api"

router = SimpleRouter()
router.register("access-log", views.AccessLogViewSet, basename="access-log")

urlpatterns = router.urls
