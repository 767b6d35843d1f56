from django.urls import path

from uslugi.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_index, name="index"),
    path("<str:region>/<int:year>/", views.calendar_year, name="year"),
]
