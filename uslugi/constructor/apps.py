from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructorConfig(AppConfig):
    name = "uslugi.constructor"
    verbose_name = _("Constructor")
