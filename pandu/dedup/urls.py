from django.urls import path

from . import views

app_name = "dedup"
urlpatterns = [
    path("", views.pair_list, name="pair_list"),
    path("pasangan/<uuid:uid>/", views.pair_detail, name="pair_detail"),
    path("gabungan/<uuid:uid>/", views.merge_detail, name="merge_detail"),
    path("gabungan/<uuid:uid>/batal/", views.merge_undo, name="merge_undo"),
    path("jalankan/", views.run_start, name="run_start"),
    path("cek/", views.check, name="check"),
]
