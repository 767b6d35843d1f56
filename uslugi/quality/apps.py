from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "uslugi.quality"
    verbose_name = _("Quality of services")

    def ready(self) -> None:
        from uslugi.core import hooks
        from uslugi.quality import services

        # Rollups follow the cases: a receipt, a decision and any other closing add to them.
        hooks.register("case_opened", services.record_case_opened)
        hooks.register("case_decided", services.record_case_closed)
        hooks.register("case_closed", services.record_case_closed)
        # Ratings and complaints join the same rows.
        hooks.register("case_rated", services.record_rating)
        hooks.register("complaint_filed", services.record_complaint_filed)
        hooks.register("complaint_decided", services.record_complaint_decided)

        from uslugi.quality.hooks import scorecard_sections, service_sections

        # Processing figures on the service page; metrics on the curator's scorecard.
        hooks.register("service_sections", service_sections)
        hooks.register("scorecard_sections", scorecard_sections)

        from django.db.models.signals import post_delete, post_save

        from uslugi.applications.models import Application, Case, CaseEvent, Suspension
        from uslugi.quality import archive

        # Whatever changes an archived case's facts sends it back to be read live (`archive`;
        # the case's own save and update do it themselves).
        post_delete.connect(archive.on_case_deleted, sender=Case, dispatch_uid="archive-case-gone")
        post_save.connect(
            archive.on_application_changed, sender=Application, dispatch_uid="archive-application"
        )
        for model in (Suspension, CaseEvent):
            handler = archive.on_stop_changed if model is Suspension else archive.on_event_changed
            for signal in (post_save, post_delete):
                signal.connect(handler, sender=model, dispatch_uid=f"archive-{model.__name__}")
