from django.urls import path

from uslugi.quality import views

app_name = "quality"

urlpatterns = [
    path("quality/", views.index, name="index"),
    path("quality/dashboard/", views.dashboard, name="dashboard"),
    path("quality/open-data/", views.open_data, name="open_data"),
    path("quality/open-data/quality.csv", views.download_csv, name="download_csv"),
    path("quality/open-data/quality.json", views.download_json, name="download_json"),
    path("quality/open-data/datapackage.json", views.data_package, name="data_package"),
    path("quality/<str:code>/", views.region_page, name="region"),
    path("quality/<str:region_code>/<slug:code>/", views.service_page, name="service"),
]
