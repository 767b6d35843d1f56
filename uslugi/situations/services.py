"""The situations app owns life situations, their versions, package drafts and packages.

A staff member publishes a situation's definition once its conditions type-check, its services
have variants in force, its dependencies are acyclic and its shared facts feed real fields. A
citizen answers the questionnaire, fills one combined form and sends it once: `submit_package`
files one application (and case) per included service through the applications app, all or none.
A service that waits for another starts its clock when that one is decided (`start_what_waited`,
the `case_decided` hook); a proactive one is then filed on its own.
"""

import copy
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.applications import services as application_services
from uslugi.applications.models import Application, Case
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Channel, Region, Service
from uslugi.constructor import engine
from uslugi.constructor import selectors as constructor_selectors
from uslugi.constructor.definitions import Definition
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event
from uslugi.situations import definition as situation_definition
from uslugi.situations.errors import (
    DraftNotYours,
    NothingToApplyFor,
    PackageIncomplete,
    SituationNotPublishable,
)
from uslugi.situations.models import (
    ItemState,
    LifeSituation,
    Package,
    PackageDraft,
    PackageItem,
    SituationVersion,
    VersionStatus,
)
from uslugi.situations.planning import Plan, plan_package

# Definitions ---------------------------------------------------------------------------------


@transaction.atomic
def create_situation(
    *,
    region: Region,
    code: str,
    name: str,
    definition: dict[str, Any],
    actor: Any,
    description: str = "",
    name_en: str = "",
) -> SituationVersion:
    """A new situation with its first draft version."""
    situation = LifeSituation.objects.create(
        region=region, code=code, name=name, name_en=name_en, description=description
    )
    version = situation.versions.create(number=1, definition=definition)
    record_event(actor=actor, verb="situation.created", target=situation, data={"code": code})
    return version


def variants_for(region: Region, definition: Mapping[str, Any]) -> dict[str, Definition | None]:
    """The definition of each named service's variant in force in `region`, or None."""
    codes = {item.service for item in situation_definition.items_of(definition)}
    services = {s.code: s for s in Service.objects.filter(region=region, code__in=codes)}
    result: dict[str, Definition | None] = {}
    for code in codes:
        version = (
            constructor_selectors.version_in_force(services[code]) if code in services else None
        )
        result[code] = version.definition if version else None
    return result


@transaction.atomic
def start_situation_draft(*, situation: LifeSituation, actor: Any) -> SituationVersion:
    """A new draft copied from the newest version, for a methodologist or administrator to edit."""
    if situation.versions.filter(status=VersionStatus.DRAFT).exists():
        raise SituationNotPublishable(_("This life situation already has a draft; edit it."))
    latest = situation.versions.order_by("-number").first()
    version = situation.versions.create(
        number=(latest.number + 1) if latest else 1,
        definition=copy.deepcopy(latest.definition) if latest else {"schema_version": 1},
    )
    record_event(
        actor=actor,
        verb="situation.draft_started",
        target=situation,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def save_situation_draft(
    *, version: SituationVersion, actor: Any, definition: dict[str, Any]
) -> SituationVersion:
    """Replace a draft's definition; a published version never changes."""
    if version.status != VersionStatus.DRAFT:
        raise SituationNotPublishable(_("A published version never changes; start a new draft."))
    version.definition = definition
    version.save(update_fields=["definition"])
    record_event(
        actor=actor,
        verb="situation.draft_saved",
        target=version.situation,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def publish_version(*, version: SituationVersion, actor: Any, valid_from: date) -> SituationVersion:
    """Publish a draft after the checks of `definition.check_definition`; the version in force
    until now ends the day before `valid_from`."""
    if version.status != VersionStatus.DRAFT:
        raise SituationNotPublishable(_("Only a draft can be published."))
    situation = version.situation
    problems = situation_definition.check_definition(
        version.definition, variants_for(situation.region, version.definition)
    )
    if problems:
        raise SituationNotPublishable(reasons=problems)
    situation.versions.filter(status=VersionStatus.PUBLISHED, valid_to__isnull=True).update(
        valid_to=valid_from - timedelta(days=1)
    )
    version.status = VersionStatus.PUBLISHED
    version.valid_from = valid_from
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save()
    record_event(
        actor=actor,
        verb="situation.published",
        target=situation,
        data={"version": version.number, "valid_from": valid_from},
    )
    return version


# Drafts --------------------------------------------------------------------------------------

SESSION_DRAFTS = "package_drafts"
NOT_SAVED = {"csrfmiddlewaretoken", "action"}


@transaction.atomic
def start_draft(*, version: SituationVersion, request: HttpRequest) -> PackageDraft:
    """A new draft, owned by the signed-in user or claimed by this browser's session."""
    owner = request.user if request.user.is_authenticated else None
    draft = PackageDraft.objects.create(version=version, owner=owner)
    if owner is None:
        kept = request.session.get(SESSION_DRAFTS, [])[-19:]
        request.session[SESSION_DRAFTS] = [*kept, str(draft.pk)]
    return draft


def ensure_access(request: HttpRequest, draft: PackageDraft) -> None:
    """Only the owner, or the browser that started an anonymous draft, sees it (else a 404).

    The browser's claim survives logging in (session data is kept); the draft then passes to the
    account.
    """
    if draft.owner_id is not None:
        if request.user.is_authenticated and draft.owner_id == request.user.pk:
            return
        raise DraftNotYours()
    if str(draft.pk) not in request.session.get(SESSION_DRAFTS, []):
        raise DraftNotYours()
    if request.user.is_authenticated:
        draft.owner = request.user
        draft.save(update_fields=["owner", "updated_at"])


def _remember_typed(draft: PackageDraft, step: str, data: Any, *, valid: bool) -> None:
    values = {key: data.getlist(key) for key in data if key not in NOT_SAVED}
    draft.raw = {**draft.raw, step: {"data": values, "valid": valid}}


def typed_values(draft: PackageDraft, step: str) -> tuple[Any, bool] | None:
    """A step's typed values as a QueryDict, and whether they validated."""
    from django.http import QueryDict

    saved = draft.raw.get(step)
    if not saved:
        return None
    data = QueryDict(mutable=True)
    for key, values in saved["data"].items():
        data.setlist(key, values)
    return data, bool(saved.get("valid"))


def remember_typed(draft: PackageDraft, step: str, data: Any) -> None:
    """Keep what an HTMX refresh sent, so that a reload shows it as typed."""
    _remember_typed(draft, step, data, valid=False)
    draft.save(update_fields=["raw", "updated_at"])


@transaction.atomic
def save_questions(draft: PackageDraft, *, form: engine.StepForm, data: Any) -> bool:
    """Store the questionnaire's answers when valid (typed values always); True when valid.

    Changed answers may change the package: combined answers of services no longer included are
    dropped when the combined form is saved or sent.
    """
    valid = form.is_valid()
    if valid:
        draft.questions = form.answers(lambda block, upload: "")
        draft.step = 0
    _remember_typed(draft, "questions", data, valid=valid)
    draft.save(update_fields=["questions", "raw", "step", "updated_at"])
    return valid


@transaction.atomic
def save_step(
    draft: PackageDraft,
    *,
    combined: Definition,
    step: engine.Step,
    form: engine.StepForm,
    data: Any,
    move_to: int,
) -> None:
    """Store a step of the combined form: its answers when valid, typed values always."""
    valid = form.is_valid()
    if valid:
        keys = {block.get("key") for block in step.blocks}
        answers = {key: value for key, value in draft.answers.items() if key not in keys}

        def save_file(block: dict[str, Any], upload: UploadedFile) -> str:
            return default_storage.save(
                f"drafts/packages/{draft.pk}/{block['key']}/{upload.name}", upload
            )

        answers.update(form.answers(save_file))
        draft.answers = engine.applicable_answers(combined, answers)
    _remember_typed(draft, str(step.index), data, valid=valid)
    draft.step = move_to if valid or move_to < step.index else step.index
    draft.save(update_fields=["answers", "raw", "step", "updated_at"])


# Submission ----------------------------------------------------------------------------------


def validate(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every step valid with these answers, or PackageIncomplete ("key: message" reasons);
    returns the answers of the blocks that apply."""
    checked = engine.check_answers(
        definition,
        dict(answers),
        engine.analyse(definition),
        unexplained=PackageIncomplete.default_message,
    )
    if checked.reasons:
        raise PackageIncomplete(reasons=checked.reasons)
    return checked.answers


def submit_package(
    *,
    version: SituationVersion,
    questions: Mapping[str, Any],
    answers: Mapping[str, Any],
    submitter: Any,
    idempotency_key: str = "",
    draft: PackageDraft | None = None,
) -> Package:
    """File one application and case per included service, all in one transaction, or nothing.

    `answers` are the combined form's (shared facts by their key, a service's own fields as
    `{item}__{key}`). A repeat with the same draft or `idempotency_key` returns the first package.
    Answers are validated before the transaction opens (form validation is the slow part).
    """
    key = idempotency_key or (f"draft:{draft.pk}" if draft else "")
    if key:
        existing = Package.objects.filter(applicant=submitter, idempotency_key=key).first()
        if existing:
            return existing
    if draft is not None and (existing := Package.objects.filter(draft=draft).first()):
        return existing
    questions = validate(situation_definition.questionnaire(version.definition), questions)
    plan = plan_package(version, questions)
    if not plan.to_fill:
        raise NothingToApplyFor()
    combined = validate(plan.combined, answers)
    try:
        return _file_package(
            plan=plan,
            questions=questions,
            answers=combined,
            submitter=submitter,
            key=key or f"once:{uuid.uuid4().hex}",
            draft=draft,
        )
    except IntegrityError:
        # A concurrent repeat won the race: answer with its package.
        winner = Package.objects.filter(applicant=submitter, idempotency_key=key).first()
        if key and winner:
            return winner
        raise


@transaction.atomic
def _file_package(
    *,
    plan: Plan,
    questions: dict[str, Any],
    answers: dict[str, Any],
    submitter: Any,
    key: str,
    draft: PackageDraft | None,
) -> Package:
    package = Package.objects.create(
        version=plan.version,
        applicant=submitter,
        questions=questions,
        idempotency_key=key,
        draft=draft,
    )
    cases: dict[str, Case] = {}
    for position, planned in enumerate(plan.items):
        item = planned.item
        own = plan.answers_of(item.key, answers)
        row = PackageItem(
            package=package,
            key=item.key,
            position=position,
            service=planned.service,
            proactive=item.proactive,
            reason=item.reason,
            waits_for=list(planned.waits_for),
            answers=own if item.proactive else {},
        )
        if item.proactive:
            row.state = ItemState.UPCOMING
            row.save()
            if not planned.waits_for:
                _start_proactive(row)
            continue
        application = application_services.submit_answers(
            service=planned.service,
            answers=own,
            submitter=submitter,
            idempotency_key=f"package:{package.pk}:{item.key}",
        )
        row.application = application
        row.state = ItemState.WAITING if planned.waits_for else ItemState.FILED
        case = application.case
        if planned.waits_for:
            # Planned from the latest due date of what it waits for; restarted at the decision.
            waited = [cases[k] for k in planned.waits_for if k in cases]
            latest = max(waited, key=_due, default=None)
            if latest is not None:
                application_services.restart_clock(
                    case=case,
                    starts_at=datetime.combine(
                        latest.due_date, time.min, tzinfo=ZoneInfo(case.region.time_zone)
                    ),
                    reason=_("Waits for the decision on %(service)s.")
                    % {"service": latest.service.display_name},
                )
        cases[item.key] = case
        row.save()
    record_event(
        actor=submitter,
        verb="package.submitted",
        target=package,
        data={"situation": plan.version.situation.code, "items": [p.key for p in plan.items]},
    )
    return package


def _due(case: Case) -> date:
    return case.due_date


def _start_proactive(item: PackageItem) -> None:
    """File a proactive service's application on the citizen's behalf, from the facts the package
    already holds, through the same intake as any other (channel portal, an audit note that it
    came proactively). If its form needs more than the package holds, the item is marked as not
    started, for the citizen to apply separately; this never undoes the decision that started it.
    """
    package = item.package
    try:
        with transaction.atomic():
            application = application_services.submit_answers(
                service=item.service,
                answers=item.answers,
                submitter=package.applicant,
                idempotency_key=f"package:{package.pk}:{item.key}",
                channel=Channel.PORTAL,
            )
    except UserFacingError as error:
        item.state = ItemState.NOT_STARTED
        item.note = "; ".join([error.message, *getattr(error, "reasons", [])])
        item.save(update_fields=["state", "note"])
        record_event(
            actor=None,
            verb="package.proactive_not_started",
            target=package,
            data={"item": item.key, "reason": error.message},
        )
        return
    item.application = application
    item.state = ItemState.PROVIDED
    item.note = _("Started proactively: no application from you was needed.")
    item.save(update_fields=["application", "state", "note"])
    record_event(
        actor=None,
        verb="package.proactive_started",
        target=package,
        data={"item": item.key, "application": application.number},
    )


def start_what_waited(case: Case) -> list[Any]:
    """The `case_decided` hook: start the items of the same package that waited for this case.

    A waiting case's term counts from this decision; a proactive item is filed now, unless what
    it waited for was refused (then it is marked as not started). Items waiting for several
    services start when the last of them is decided. Runs inside the deciding transaction.
    """
    decided = PackageItem.objects.filter(application__case=case).select_related("package").first()
    if decided is None:
        return []
    package = decided.package
    items = list(package.items.select_related("service", "application__case", "package"))
    by_key = {item.key: item for item in items}
    for item in items:
        if decided.key not in item.waits_for or item.state not in {
            ItemState.WAITING,
            ItemState.UPCOMING,
        }:
            continue
        dependencies = [by_key[key] for key in item.waits_for if key in by_key]
        if any(_decision_of(dependency) is None for dependency in dependencies):
            continue
        if item.state == ItemState.WAITING and item.application is not None:
            application_services.restart_clock(
                case=item.application.case,
                starts_at=case.decided_at or timezone.now(),
                reason=_("The decision on %(service)s it waited for was taken.")
                % {"service": case.service.display_name},
            )
            item.state = ItemState.FILED
            item.save(update_fields=["state"])
        elif item.state == ItemState.UPCOMING:
            if any(_decision_of(dependency) == Status.REFUSED for dependency in dependencies):
                item.state = ItemState.NOT_STARTED
                item.note = _("Not started: a service it depends on was refused.")
                item.save(update_fields=["state", "note"])
            else:
                _start_proactive(item)
    return []


def _decision_of(item: PackageItem) -> str | None:
    """APPROVED or REFUSED once the item's case is decided, else None."""
    application: Application | None = item.application
    if application is None:
        return None
    status = Case.objects.filter(application=application).values_list("status", flat=True).first()
    return status if status in {Status.APPROVED, Status.REFUSED} else None
