from django.urls import path

from uslugi.roadmap import views

app_name = "roadmap"

urlpatterns = [
    # Everyone: the regions' plans and the evidence behind them.
    path("roadmap/", views.roadmap_list, name="list"),
    path("roadmap/mine/", views.my_roadmap, name="mine"),  # before a region's code can match it
    path("roadmap/<str:region_code>/", views.public_roadmap, name="public"),
    path(
        "roadmap/<str:region_code>/evidence/<int:pk>/",
        views.evidence_document,
        name="evidence_document",
    ),
    # The region's administrators.
    path("roadmap/<str:region_code>/manage/", views.manage, name="manage"),
    path("roadmap/<str:region_code>/manage/edit/", views.roadmap_update, name="update"),
    path("roadmap/<str:region_code>/manage/measures/new/", views.measure_new, name="measure_new"),
    path(
        "roadmap/<str:region_code>/manage/measures/<int:pk>/",
        views.measure_detail,
        name="measure",
    ),
    path(
        "roadmap/<str:region_code>/manage/measures/<int:pk>/status/",
        views.measure_status,
        name="measure_status",
    ),
    path(
        "roadmap/<str:region_code>/manage/measures/<int:pk>/kpis/",
        views.kpi_add,
        name="kpi_add",
    ),
    path(
        "roadmap/<str:region_code>/manage/kpis/<int:pk>/remove/",
        views.kpi_remove,
        name="kpi_remove",
    ),
    path(
        "roadmap/<str:region_code>/manage/measures/<int:pk>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "roadmap/<str:region_code>/manage/evidence/<int:pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("roadmap/<str:region_code>/manage/members/", views.member_add, name="member_add"),
    path(
        "roadmap/<str:region_code>/manage/members/<int:pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("roadmap/<str:region_code>/manage/meetings/", views.meeting_add, name="meeting_add"),
    path(
        "roadmap/<str:region_code>/manage/meetings/<int:pk>/",
        views.meeting_detail,
        name="meeting",
    ),
    path(
        "roadmap/<str:region_code>/manage/decisions/<int:pk>/status/",
        views.decision_status,
        name="decision_status",
    ),
    path(
        "roadmap/<str:region_code>/manage/measures.csv",
        views.export_measures,
        name="export",
    ),
    path("roadmap/<str:region_code>/manage/import/", views.import_measures, name="import"),
]
