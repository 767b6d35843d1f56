from django.urls import path

from uslugi.applications import views
from uslugi.applications.office import case, intake, queue

app_name = "applications"

urlpatterns = [
    path("applications/submit/<str:draft_id>/", views.submit, name="submit"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("my/applications/<str:number>/", views.application_detail, name="application_detail"),
    path("my/applications/<str:number>/result/", views.download_result, name="download_result"),
    # Officials of an agency: the queue and the case page.
    path("office/cases/", queue.queue, name="office_queue"),
    path("office/cases/assign/", queue.assign, name="office_assign"),
    path("office/cases/<int:pk>/", case.case_page, name="office_case"),
    path("office/cases/<int:pk>/actions/<slug:name>/", case.case_action, name="office_case_action"),
    path("office/cases/<int:pk>/messages/", case.case_message, name="office_case_message"),
    path(
        "office/cases/<int:pk>/requests/",
        case.interagency_request,
        name="office_interagency_request",
    ),
    path(
        "office/cases/<int:pk>/requests/<int:request_pk>/answer/",
        case.interagency_answer,
        name="office_interagency_answer",
    ),
    path("office/cases/<int:pk>/files/<slug:key>/", case.case_file, name="office_case_file"),
    # MFC operators: applications registered on a citizen's behalf.
    path("office/intake/", intake.intake, name="intake"),
    path("office/intake/<int:service_pk>/start/", intake.intake_start, name="intake_start"),
    path("office/intake/applications/<str:number>/", intake.intake_receipt, name="intake_receipt"),
]
