"""SMS behind an interface: a region plugs in its gateway by a dotted path in settings."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("uslugi.sms")


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingGateway:
    """Writes each SMS to the log instead of sending it (development and the demo)."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
        LoggingGateway.sent.append((phone, text))


def gateway() -> Gateway:
    gateway_class = import_string(settings.SMS_GATEWAY)
    instance: Gateway = gateway_class()
    return instance
