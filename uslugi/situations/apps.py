from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationsConfig(AppConfig):
    name = "uslugi.situations"
    verbose_name = _("Life situations")

    def ready(self) -> None:
        from uslugi.core import hooks
        from uslugi.situations.services import start_what_waited

        # A decided case may be what another service of a package waited for.
        hooks.register("case_decided", start_what_waited)
        from uslugi.situations.hooks import search_extras

        hooks.register("search_extras", search_extras)
