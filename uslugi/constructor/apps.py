from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructorConfig(AppConfig):
    name = "uslugi.constructor"
    verbose_name = _("Constructor")

    def ready(self) -> None:
        from uslugi.constructor.hooks import service_actions
        from uslugi.core import hooks

        hooks.register("service_actions", service_actions)
