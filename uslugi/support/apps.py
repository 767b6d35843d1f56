from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "uslugi.support"
    verbose_name = _("Support measures")

    def ready(self) -> None:
        from uslugi.core import hooks
        from uslugi.support.hooks import service_actions

        # A support measure's page offers "Check whether it is due to me".
        hooks.register("service_actions", service_actions)
