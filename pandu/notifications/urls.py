from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("lonceng/", views.bell, name="bell"),
    path("baca-semua/", views.notification_read_all, name="read_all"),
    path("<uuid:uid>/", views.notification_open, name="open"),
    path("<uuid:uid>/baca/", views.notification_read, name="read"),
]
