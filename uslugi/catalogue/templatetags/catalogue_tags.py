"""Plain-words phrasing of a quality standard, shared by every page that states a promise."""

from django import template
from django.utils.translation import gettext, ngettext

from uslugi.catalogue.models import QualityStandard, TermKind

register = template.Library()


@register.simple_tag
def term_phrase(standard: QualityStandard | None) -> str:
    """«Срок — не более 15 рабочих дней», or a clear word that the term is not set."""
    if not standard or standard.term is None:  # "" when a template indexes an empty list
        return gettext("Term — not set in the standard")
    if standard.term_kind == TermKind.WORKING:
        text = ngettext(
            "Term — at most %(count)d working day",
            "Term — at most %(count)d working days",
            standard.term,
        )
    else:
        text = ngettext(
            "Term — at most %(count)d calendar day",
            "Term — at most %(count)d calendar days",
            standard.term,
        )
    return text % {"count": standard.term}


@register.simple_tag
def visits_phrase(standard: QualityStandard) -> str:
    if standard.max_visits == 0:
        return gettext("No visits needed")
    return ngettext(
        "At most %(count)d visit in person",
        "At most %(count)d visits in person",
        standard.max_visits,
    ) % {"count": standard.max_visits}
