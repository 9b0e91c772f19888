from django.urls import path

from . import views

app_name = "empowerment"

urlpatterns = [
    # Aid-use monitoring
    path("kpm/", views.kpm_list, name="kpm_list"),
    path("kpm/<uuid:uid>/kunjungan/", views.visit_create, name="visit_create"),
    path("kpm/<uuid:uid>/rencana/", views.plan_create, name="plan_create"),
    path("kunjungan/", views.visit_list, name="visit_list"),
    path("kunjungan/<uuid:uid>/", views.visit_detail, name="visit_detail"),
    path("rekap/", views.summary, name="summary"),
    path("rekap/xlsx/", views.summary_xlsx_view, name="summary_xlsx"),
    # Graduation
    path("graduasi/", views.plan_list, name="plan_list"),
    path("graduasi/kriteria/", views.criteria, name="criteria"),
    path("graduasi/kriteria/<uuid:uid>/cabut/", views.criterion_end, name="criterion_end"),
    path("graduasi/pendampingan/", views.follow_up_list, name="follow_up_list"),
    path("graduasi/pendampingan/<uuid:uid>/", views.follow_up_record, name="follow_up_record"),
    path("graduasi/<uuid:uid>/", views.plan_detail, name="plan_detail"),
    path("graduasi/<uuid:uid>/ubah/", views.plan_edit, name="plan_edit"),
    path("graduasi/<uuid:uid>/langkah/", views.step_add, name="step_add"),
    path("graduasi/<uuid:uid>/batal/", views.plan_cancel, name="plan_cancel"),
    path("graduasi/<uuid:uid>/luluskan/", views.graduate, name="graduate"),
    path("langkah/<uuid:uid>/selesai/", views.step_done, name="step_done"),
    # KUBE and UEP
    path("kube/", views.group_list, name="group_list"),
    path("kube/baru/", views.group_create, name="group_create"),
    path("kube/<uuid:uid>/", views.group_detail, name="group_detail"),
    path("kube/<uuid:uid>/ubah/", views.group_edit, name="group_edit"),
    path("kube/<uuid:uid>/anggota/", views.member_add, name="member_add"),
    path("kube/<uuid:uid>/hibah/", views.group_grant, name="group_grant"),
    path("kube/anggota/<uuid:uid>/keluar/", views.member_end, name="member_end"),
    path("uep/", views.grant_list, name="grant_list"),
    path("uep/baru/", views.grant_create, name="grant_create"),
]
