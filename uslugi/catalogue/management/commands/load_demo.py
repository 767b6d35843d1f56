from typing import Any

from django.core.management.base import BaseCommand

from uslugi.catalogue.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo regions 56, 16, 02: agencies, services, standards, curators. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo()
        summary = ", ".join(f"{name}: {count}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({summary})."))
