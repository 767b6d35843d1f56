from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the demo region (56, 16, 02): every app's demo.load_demo() in the order of "
        "INSTALLED_APPS, so each app finds what the apps below it loaded. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith("uslugi.") or find_spec(module_name) is None:
                continue
            created = import_module(module_name).load_demo()
            summary = ", ".join(f"{name}: {count}" for name, count in created.items())
            self.stdout.write(f"{config.label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
