from django.urls import path

from . import views

app_name = "targeting"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("uji-coba/", views.run_new, name="run_new"),
    path("<uuid:uid>/", views.run_detail, name="run_detail"),
    path("<uuid:uid>/tetapkan/", views.run_commit, name="run_commit"),
    path("<uuid:uid>/keluarga/<uuid:household>/", views.explain_page, name="explain"),
    path("aturan/", views.ruleset_list, name="ruleset_list"),
    path("aturan/baru/", views.ruleset_new, name="ruleset_new"),
    path("aturan/baris/", views.ruleset_rows, name="ruleset_rows"),
    path("pmt/baru/", views.pmt_new, name="pmt_new"),
]
