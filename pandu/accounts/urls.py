from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kop-surat/", views.office_edit, name="office"),
    path("kop-surat/logo/", views.office_logo, name="office_logo"),
    path("kop-surat/contoh.pdf", views.office_sample, name="office_sample"),
]
