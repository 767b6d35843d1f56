from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "uslugi.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from uslugi.accounts.checks import check_oidc_settings

        checks.register(check_oidc_settings)
