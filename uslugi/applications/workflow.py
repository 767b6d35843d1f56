"""Case statuses and the transitions between them, as data (Amsterdam Signalen's habit).

Each transition names who may make it. Pure: no ORM; services.py enforces it on the model.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    REGISTERED = "registered", _("registered")
    REFUSED_TO_ACCEPT = "refused_to_accept", _("refused to accept")
    IN_REVIEW = "in_review", _("in review")
    SUSPENDED = "suspended", _("suspended")
    AWAITING_APPLICANT = "awaiting_applicant", _("awaiting the applicant")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Actor(StrEnum):
    """Who makes a transition: the agency's official, the applicant, or the system."""

    OFFICIAL = "official"
    APPLICANT = "applicant"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    actor: Actor
    needs_reason: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.SUBMITTED, Status.REGISTERED, Actor.OFFICIAL),
    Transition(Status.SUBMITTED, Status.REGISTERED, Actor.SYSTEM),
    # 210-FZ art. 7 and the service's regulation: grounds for refusing to accept documents.
    Transition(Status.SUBMITTED, Status.REFUSED_TO_ACCEPT, Actor.OFFICIAL, needs_reason=True),
    Transition(Status.REGISTERED, Status.IN_REVIEW, Actor.OFFICIAL),
    Transition(Status.IN_REVIEW, Status.SUSPENDED, Actor.OFFICIAL, needs_reason=True),
    Transition(Status.SUSPENDED, Status.IN_REVIEW, Actor.OFFICIAL),
    Transition(Status.SUSPENDED, Status.IN_REVIEW, Actor.SYSTEM),
    Transition(Status.IN_REVIEW, Status.AWAITING_APPLICANT, Actor.OFFICIAL, needs_reason=True),
    Transition(Status.AWAITING_APPLICANT, Status.IN_REVIEW, Actor.APPLICANT),
    Transition(Status.AWAITING_APPLICANT, Status.IN_REVIEW, Actor.OFFICIAL),
    Transition(Status.IN_REVIEW, Status.APPROVED, Actor.OFFICIAL),
    Transition(Status.IN_REVIEW, Status.REFUSED, Actor.OFFICIAL, needs_reason=True),
    *(
        Transition(source, Status.WITHDRAWN, Actor.APPLICANT)
        for source in (
            Status.SUBMITTED,
            Status.REGISTERED,
            Status.IN_REVIEW,
            Status.SUSPENDED,
            Status.AWAITING_APPLICANT,
        )
    ),
)

FINAL = frozenset({Status.REFUSED_TO_ACCEPT, Status.APPROVED, Status.REFUSED, Status.WITHDRAWN})
# In table order, so that queries and the partial index on open cases spell the list the same way.
OPEN = tuple(status for status in Status if status not in FINAL)
DECIDED = frozenset({Status.APPROVED, Status.REFUSED})
# Statuses in which the legal clock does not run (time waiting on the citizen is not the agency's).
CLOCK_STOPPED = frozenset({Status.SUSPENDED, Status.AWAITING_APPLICANT})


def find_transition(source: str, target: str, actor: Actor) -> Transition | None:
    for transition in TRANSITIONS:
        if (
            transition.source == source
            and transition.target == target
            and transition.actor == actor
        ):
            return transition
    return None


def targets(source: str, actor: Actor) -> list[Status]:
    """Where a case in `source` may go next by this actor, in table order."""
    seen: list[Status] = []
    for transition in TRANSITIONS:
        if (
            transition.source == source
            and transition.actor == actor
            and transition.target not in seen
        ):
            seen.append(transition.target)
    return seen
