"""The citizen's personal package: which services, why, what comes by itself, which documents, and
the date by which everything is due. Pure calculations over plain values, fed by `plan_package`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from uslugi.catalogue.models import Service
from uslugi.constructor import selectors as constructor_selectors
from uslugi.constructor.conditions import record_of, schema_of
from uslugi.constructor.definitions import Definition, blocks_of
from uslugi.constructor.models import VariantVersion
from uslugi.situations import definition as situation_definition
from uslugi.situations.definition import Item, evaluate
from uslugi.situations.models import SituationVersion
from uslugi.workdays import selectors as workdays
from uslugi.workdays.calendar import ProductionCalendar
from uslugi.workdays.deadlines import DeadlineInputs, TermKind, calculate_due_date


def included_items(
    definition: Mapping[str, Any], answers: Mapping[str, Any]
) -> tuple[list[Item], list[Item]]:
    """(included, left out) by each item's condition over the questionnaire's answers.

    No condition: always included. A condition that is unknown (a question not answered) leaves
    the item out: the citizen is never sent to a service nobody said they need.
    """
    questions = situation_definition.questionnaire(definition)
    schema = schema_of(questions)
    record = record_of(questions, answers)
    included: list[Item] = []
    left_out: list[Item] = []
    for item in situation_definition.items_of(definition):
        if not item.condition or evaluate(item.condition, schema, record).is_true:
            included.append(item)
        else:
            left_out.append(item)
    return situation_definition.dependency_order(included), left_out


@dataclass(frozen=True)
class Term:
    days: int
    kind: TermKind


@dataclass(frozen=True)
class DueDate:
    due_date: date
    starts_after: str = ""  # the item whose decision starts this one's clock, if any


def calculate_due_dates(
    calendar: ProductionCalendar,
    items: list[Item],
    terms: Mapping[str, Term],
    received: datetime,
) -> dict[str, DueDate]:
    """Each item's due date when everything is filed at `received`.

    An item that waits for another starts its clock when that one is decided; at the latest that is
    the other's due date, so its due date counts its own term from there (the worst case the
    citizen can plan on). With several dependencies the latest of their due dates counts. `items`
    must come in dependency order.
    """
    result: dict[str, DueDate] = {}
    for item in items:
        waits = [key for key in item.depends_on if key in result]
        start = received
        after = ""
        if waits:
            after = max(waits, key=lambda key: result[key].due_date)
            start = datetime.combine(result[after].due_date, time.min)
        term = terms[item.key]
        deadline = calculate_due_date(calendar, DeadlineInputs(start, term.days, term.kind))
        result[item.key] = DueDate(deadline.due_date, after)
    return result


def composite_due_date(items: list[Item], due: Mapping[str, DueDate]) -> date | None:
    """The date by which everything the citizen applies for is due: the latest of the due dates
    of the items filed with an application (proactive ones come on their own, after)."""
    dates = [due[item.key].due_date for item in items if not item.proactive and item.key in due]
    return max(dates) if dates else None


@dataclass
class DocumentNeed:
    document_type: str
    title: str
    provider: str
    services: list[str] = field(default_factory=list)
    maybe: bool = False  # its condition depends on answers not given yet


def documents_of(
    items: list[tuple[str, Definition, Mapping[str, Any]]],
) -> tuple[list[DocumentNeed], list[DocumentNeed]]:
    """(documents the citizen brings, documents the agencies obtain themselves), each listed once.

    `items` holds (service name, variant definition, the answers known for it). A document whose
    condition is false is left out; one whose condition cannot be told yet is marked `maybe`. The
    same document type needed by several services is one entry naming them all; it counts as
    certain if any service needs it for certain.
    """
    found: dict[tuple[bool, str], DocumentNeed] = {}
    for name, own, answers in items:
        schema = schema_of(own)
        record = record_of(own, answers)
        for block in blocks_of(own):
            if block.get("kind") != "document":
                continue
            config = block.get("config") or {}
            source = str(block.get("condition") or "").strip()
            maybe = False
            if source:
                result = evaluate(source, schema, record)
                if result.is_false:
                    continue
                maybe = result.is_unknown
            provider = str(config.get("provider") or "applicant")
            by_agency = provider == "agency"
            document_type = str(config.get("document_type") or block.get("key"))
            need = found.setdefault(
                (by_agency, document_type),
                DocumentNeed(
                    document_type,
                    str(config.get("title") or block.get("label")),
                    provider,
                    maybe=True,
                ),
            )
            need.maybe = need.maybe and maybe
            if name not in need.services:
                need.services.append(name)
    bring = [need for (by_agency, _), need in found.items() if not by_agency]
    obtained = [need for (by_agency, _), need in found.items() if by_agency]
    return bring, obtained


@dataclass(frozen=True)
class PlannedItem:
    item: Item
    service: Service
    version: VariantVersion
    waits_for: tuple[str, ...]
    due: DueDate

    @property
    def key(self) -> str:
        return self.item.key


@dataclass(frozen=True)
class Plan:
    version: SituationVersion
    items: list[PlannedItem]
    left_out: list[Item]
    deadline: date | None
    combined: Definition
    fed: dict[str, dict[str, str]]
    questions: Mapping[str, Any] = field(default_factory=dict)

    def planned(self, key: str) -> PlannedItem:
        return next(planned for planned in self.items if planned.key == key)

    @property
    def to_fill(self) -> list[PlannedItem]:
        return [planned for planned in self.items if not planned.item.proactive]

    def answers_of(self, key: str, combined_answers: Mapping[str, Any]) -> dict[str, Any]:
        """The item's own answers plus the shared facts and questions that feed its fields."""
        known = {**self.questions, **combined_answers}
        return situation_definition.item_answers(key, known, self.fed.get(key, {}))

    def documents(
        self, combined_answers: Mapping[str, Any] | None = None
    ) -> tuple[list[DocumentNeed], list[DocumentNeed]]:
        return documents_of(
            [
                (
                    planned.service.display_name,
                    planned.version.definition,
                    self.answers_of(planned.key, combined_answers or {}),
                )
                for planned in self.items
            ]
        )


def plan_package(
    version: SituationVersion, answers: Mapping[str, Any], now: datetime | None = None
) -> Plan:
    """The package these questionnaire answers lead to, with due dates as if filed at `now`.

    Items whose service has no variant in force today are left out (publishing checked they had
    one; a variant may have expired since).
    """
    definition = version.definition
    region = version.situation.region
    included, left_out = included_items(definition, answers)
    services = {
        service.code: service
        for service in Service.objects.filter(
            region=region, code__in={item.service for item in included}
        ).select_related("region")
    }
    versions: dict[str, VariantVersion] = {}
    kept: list[Item] = []
    for item in included:
        service = services.get(item.service)
        in_force = constructor_selectors.version_in_force(service) if service else None
        if in_force is None or in_force.term is None:
            left_out.append(item)
            continue
        versions[item.key] = in_force
        kept.append(item)
    terms = {key: Term(v.term or 0, TermKind(v.term_kind)) for key, v in versions.items()}
    received = now or timezone.now()
    due = calculate_due_dates(workdays.get_calendar(region.code), kept, terms, received)
    keys = [item.key for item in kept]
    planned = [
        PlannedItem(
            item=item,
            service=services[item.service],
            version=versions[item.key],
            waits_for=tuple(situation_definition.included_dependencies(item, keys)),
            due=due[item.key],
        )
        for item in kept
    ]
    # Proactive items are in the form too: what their service asks beyond the shared facts (a
    # region's yes/no) is asked now, so that they can start by themselves later.
    combined = situation_definition.combined_definition(
        definition,
        kept,
        {key: versions[key].definition for key in versions},
        {item.key: services[item.service].display_name for item in kept},
    )
    return Plan(
        version=version,
        items=planned,
        left_out=left_out,
        deadline=composite_due_date(kept, due),
        combined=combined,
        fed=situation_definition.feeds(definition, kept),
        questions=dict(answers),
    )
