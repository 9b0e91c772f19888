from django.urls import path, re_path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("cari/", views.autocomplete, name="autocomplete"),
    re_path(r"^(?P<code>\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)/$", views.browse, name="area"),
]
