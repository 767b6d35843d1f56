from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructorConfig(AppConfig):
    name = "uslugi.constructor"
    verbose_name = _("Constructor")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from uslugi.constructor import selectors
        from uslugi.constructor.hooks import service_actions
        from uslugi.core import hooks

        hooks.register("service_actions", service_actions)
        # The published versions kept in this process hold their variant, service, region and
        # agency: a save of any of them here drops what is kept.
        for model in ("VariantVersion", "RegionalVariant", "TemplateVersion"):
            sender = self.get_model(model)
            post_save.connect(selectors.forget_published_versions, sender=sender)
            post_delete.connect(selectors.forget_published_versions, sender=sender)
        for model in ("Service", "Region", "Agency"):
            sender = apps.get_model("catalogue", model)
            post_save.connect(selectors.forget_published_versions, sender=sender)
            post_delete.connect(selectors.forget_published_versions, sender=sender)
