from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("tugas/", views.job_list, name="job_list"),
    path("tugas/<uuid:uid>/", views.job_detail, name="job_detail"),
    path("tugas/<uuid:uid>/batal/", views.job_cancel, name="job_cancel"),
    path("tugas/<uuid:uid>/hasil/", views.job_result, name="job_result"),
]
