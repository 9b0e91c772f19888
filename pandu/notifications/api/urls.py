"""The caller's notifications, mounted at /api/v1/notifications/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "notifications-api"

router = SimpleRouter()
router.register("", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
