"""Small request helpers shared by every app's views."""

from django.http import HttpRequest


def is_htmx_for(request: HttpRequest, target: str) -> bool:
    """True when HTMX asks for the element `target` only, so the view renders just that partial."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and getattr(htmx, "target", None) == target
