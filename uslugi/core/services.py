"""The audit log that every state change and every staff view of personal data writes to."""

import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from uslugi.core import sql
from uslugi.core.models import AuditEvent


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals and UUIDs become strings so that the row is valid JSON on every database."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record_event(
    *, actor: Any, verb: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit row: actor (a user or None for the system), verb, target and details."""
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        data=_plain(data or {}),
    )
    sql.insert(event)  # every state change writes one: its statement is built once
    return event


def queue_event(
    writes: sql.Writes,
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    data: Callable[[], dict[str, Any]],
) -> AuditEvent:
    """`record_event` for a target queued in `writes`: its id and the data (which may name other
    queued rows' pks) are read as the audit row is written, after theirs."""
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_repr=str(target)[:255],
    )
    writes.insert(event, target_id=lambda: str(target.pk), data=lambda: _plain(data()))
    return event
