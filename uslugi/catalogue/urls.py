from django.urls import path

from uslugi.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_list, name="service_list"),
    path("services/<str:region_code>/<slug:code>/", views.service_detail, name="service_detail"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("agencies/<slug:code>/", views.agency_detail, name="agency_detail"),
    path("institutions/<slug:code>/", views.institution_detail, name="institution_detail"),
]
