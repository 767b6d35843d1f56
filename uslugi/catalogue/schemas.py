from datetime import date
from typing import Any

from ninja import Schema

from uslugi.catalogue import selectors
from uslugi.catalogue.models import Agency, CuratorAssignment, QualityStandard, Service


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    time_zone: str


class AgencyOut(Schema):
    code: str
    name: str
    name_en: str
    short_name: str
    level: str
    region: str
    address: str
    working_hours: str
    phone: str
    email: str
    website: str

    @staticmethod
    def resolve_region(obj: Agency) -> str:
        return obj.region.code


class StandardOut(Schema):
    version: int
    valid_from: date
    valid_to: date | None
    term: int | None
    term_kind: str
    applicant_documents: list[str]
    interagency_documents: list[str]
    max_visits: int
    channels: list[str]
    online: bool
    proactive: bool
    electronic_result: bool
    registration_minutes_in_person: int
    registration_working_days_remote: int
    max_queue_wait_minutes: int
    complaint_term: int
    complaint_refusal_term: int
    fee: str

    @staticmethod
    def resolve_channels(obj: QualityStandard) -> list[str]:
        return [str(channel) for channel in obj.channels]


class CuratorOut(Schema):
    full_name: str
    position: str
    agency: str
    responsibilities: str
    email: str
    phone: str
    reception_hours: str
    photo_url: str | None

    @staticmethod
    def resolve_full_name(obj: CuratorAssignment) -> str:
        return obj.curator.full_name

    @staticmethod
    def resolve_position(obj: CuratorAssignment) -> str:
        return obj.curator.position

    @staticmethod
    def resolve_agency(obj: CuratorAssignment) -> str:
        return obj.curator.agency.name

    @staticmethod
    def resolve_responsibilities(obj: CuratorAssignment) -> str:
        return obj.curator.responsibilities

    @staticmethod
    def resolve_email(obj: CuratorAssignment) -> str:
        return obj.curator.email

    @staticmethod
    def resolve_phone(obj: CuratorAssignment) -> str:
        return obj.curator.phone

    @staticmethod
    def resolve_reception_hours(obj: CuratorAssignment) -> str:
        return obj.curator.reception_hours

    @staticmethod
    def resolve_photo_url(obj: CuratorAssignment, context: dict[str, Any]) -> str | None:
        photo = obj.curator.public_photo
        return context["request"].build_absolute_uri(photo.url) if photo else None


class ServiceOut(Schema):
    region: str
    code: str
    name: str
    name_en: str
    kind: str
    level: str
    agency: str
    description: str
    legal_basis: str
    result: str
    standard: StandardOut | None
    curators: list[CuratorOut]

    @staticmethod
    def resolve_region(obj: Service) -> str:
        return obj.region.code

    @staticmethod
    def resolve_agency(obj: Service) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_standard(obj: Service) -> QualityStandard | None:
        return selectors.standard_in_force(obj)

    @staticmethod
    def resolve_curators(obj: Service) -> list[CuratorAssignment]:
        return selectors.curators_in_force(obj)


class ServiceFilterIn(Schema):
    q: str = ""
    region: str | None = None
    kind: str | None = None
    level: str | None = None
    agency: str | None = None
    channel: str | None = None
    online: bool = False


class ErrorOut(Schema):
    detail: str
