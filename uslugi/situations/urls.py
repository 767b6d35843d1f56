from django.urls import path

from uslugi.situations import views

app_name = "situations"

urlpatterns = [
    path("situations/", views.situation_list, name="list"),
    path("situations/<str:region_code>/<slug:code>/", views.situation_detail, name="detail"),
    path("situations/<str:region_code>/<slug:code>/start/", views.start, name="start"),
    path("situation-drafts/<str:draft_id>/", views.questions, name="questions"),
    path("situation-drafts/<str:draft_id>/package/", views.preview, name="preview"),
    path("situation-drafts/<str:draft_id>/form/", views.form_step, name="form"),
    path("situation-drafts/<str:draft_id>/review/", views.review, name="review"),
    path("my/packages/", views.my_packages, name="my_packages"),
    path("my/packages/<str:package_id>/", views.package_detail, name="package"),
]
