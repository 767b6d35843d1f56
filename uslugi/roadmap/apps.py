from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "uslugi.roadmap"
    verbose_name = _("Client-centricity roadmap")
