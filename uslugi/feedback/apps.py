from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "uslugi.feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from uslugi.core import hooks
        from uslugi.feedback.hooks import application_actions, service_actions

        hooks.register("application_actions", application_actions)
        hooks.register("service_actions", service_actions)
