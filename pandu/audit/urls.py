from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("log-akses/", views.access_log, name="access_log"),
    path("log-akses/ekspor/", views.access_log_export, name="access_log_export"),
]
