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
