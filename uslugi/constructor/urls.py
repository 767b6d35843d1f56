from django.urls import path

from uslugi.constructor.views import citizen, staff

app_name = "constructor"

urlpatterns = [
    path("constructor/", staff.dashboard, name="dashboard"),
    path("constructor/import/", staff.import_definition, name="import"),
    path("constructor/templates/<slug:code>/", staff.template_detail, name="template_detail"),
    path("constructor/templates/<slug:code>/draft/", staff.template_draft, name="template_draft"),
    path(
        "constructor/templates/<slug:code>/versions/<int:number>/export/",
        staff.template_export,
        name="template_export",
    ),
    path("constructor/variants/new/", staff.variant_create, name="variant_create"),
    path("constructor/variants/<int:pk>/", staff.variant_detail, name="variant_detail"),
    path("constructor/variants/<int:pk>/draft/", staff.variant_draft, name="variant_draft"),
    path("constructor/variants/<int:pk>/preview/", staff.variant_preview, name="variant_preview"),
    path("constructor/variants/<int:pk>/rebase/", staff.variant_rebase, name="variant_rebase"),
    path(
        "constructor/variants/<int:pk>/versions/<int:number>/export/",
        staff.variant_export,
        name="variant_export",
    ),
    path("services/<str:region_code>/<slug:code>/apply/", citizen.start, name="form_start"),
    path("forms/<str:draft_id>/", citizen.form_step, name="form_step"),
    path("forms/<str:draft_id>/review/", citizen.form_review, name="form_review"),
]
