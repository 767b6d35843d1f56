from django.urls import path

from uslugi.applications import views

app_name = "applications"

urlpatterns = [
    path("applications/submit/<str:draft_id>/", views.submit, name="submit"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("my/applications/<str:number>/", views.application_detail, name="application_detail"),
    path("my/applications/<str:number>/result/", views.download_result, name="download_result"),
]
