"""What life situations add to other apps' pages through core.hooks."""

from django.http import HttpRequest
from django.urls import reverse

from uslugi.catalogue.search import normalize
from uslugi.core.hooks import Action
from uslugi.situations import selectors


def search_extras(request: HttpRequest, query: str, region_code: str) -> list[Action]:
    """Life situations whose name or description holds every word of the catalogue search."""
    words = normalize(query).split()
    if not words:
        return []
    found = []
    for situation in selectors.list_situations(region_code=region_code):
        text = normalize(f"{situation.name} {situation.name_en} {situation.description}")
        if all(word in text for word in words):
            found.append(
                Action(
                    label=f"{situation.display_name} — {situation.region.display_name}",
                    url=reverse("situations:detail", args=[situation.region.code, situation.code]),
                    primary=False,
                    extra=situation,
                )
            )
    return found
