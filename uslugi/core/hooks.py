"""Hooks: how an app lower in the order shows what an app above it offers, without importing it.

An upper app registers a function under a name in its AppConfig.ready(); the lower app asks for
everything registered under that name (Wagtail's hooks, reduced to what we need).

- "service_actions": fn(request, service) -> list[Action], the buttons on a service page.
- "draft_actions": fn(request, draft) -> list[Action], what can be done with a completed form.
- "case_decided": fn(case) -> list (ignored), called in the transaction that decides a case.
- "case_opened": fn(case, writes) -> list (ignored), called before the transaction that opens a
  case, to queue what it writes with the case's rows in `writes` (core.sql.Writes).
- "case_closed": fn(case) -> list (ignored), called in the transaction that closes a case without
  a decision (refused to accept, withdrawn).
- "application_actions": fn(request, application) -> list[Action], on the citizen's application.
- "search_extras": fn(request, query, region_code) -> list[Action], found beside the services.
- "case_rated", "complaint_filed", "complaint_decided": fn(rating or complaint) -> list (ignored),
  called in the transaction that gives the rating, files or decides the complaint.
- "service_sections": fn(request, service) -> list[Action], extra sections of a service page
  (each rendered by its `template`).
- "scorecard_sections": fn(request, services) -> list[Action], extra sections of the curator's
  scorecard for their services (each rendered by its `template`).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_HOOKS: dict[str, list[Callable[..., Any]]] = defaultdict(list)


@dataclass(frozen=True)
class Action:
    """A button on a page: POST to `url` (with CSRF) when `method` is "post", else a link."""

    label: str
    url: str
    method: str = "get"
    primary: bool = True
    note: str = ""
    template: str = ""  # a template that renders the action itself, given `action` and `extra`
    extra: Any = None


def register(name: str, function: Callable[..., Any]) -> None:
    if function not in _HOOKS[name]:
        _HOOKS[name].append(function)


def call(name: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Every registered function's results under `name`, flattened, in registration order."""
    results: list[Any] = []
    for function in _HOOKS[name]:
        results.extend(function(*args, **kwargs))
    return results
