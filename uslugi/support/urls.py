from django.urls import path

from uslugi.support import views

app_name = "support"

urlpatterns = [
    path("support/", views.recommended, name="recommended"),
    path("my/offers/", views.offers, name="offers"),
    path("my/offers/<int:pk>/accept/", views.accept, name="accept"),
]
