from django.urls import path

from uslugi.feedback import views

app_name = "feedback"

urlpatterns = [
    # The applicant, from their application's page.
    path("my/applications/<str:number>/rating/", views.rate, name="rate"),
    path("my/applications/<str:number>/complaint/", views.complain, name="complain"),
    path("my/follow-ups/<int:pk>/verdict/", views.judge, name="judge"),
    # The curator's scorecard page.
    path("curator/", views.scorecard, name="scorecard"),
    path("curator/follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up"),
    path("curator/comments/<int:pk>/moderate/", views.moderate, name="moderate"),
    # Officials of the case's agency.
    path("office/complaints/", views.complaint_list, name="complaint_list"),
    path("office/complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    # Everyone: a service's published comments.
    path(
        "services/<str:region_code>/<slug:code>/comments/",
        views.service_comments,
        name="service_comments",
    ),
]
