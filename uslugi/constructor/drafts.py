"""Form drafts: what the citizen typed, step by step, kept so that nothing is lost."""

from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from uslugi.constructor import engine
from uslugi.constructor.models import FormDraft, VariantVersion
from uslugi.core.errors import UserFacingError

NOT_SAVED = {"csrfmiddlewaretoken", "action"}


class DraftNotYours(UserFacingError):
    status = 404
    default_message = _("There is no such draft.")


SESSION_DRAFTS = "form_drafts"


def owner_of(request: HttpRequest) -> dict[str, Any]:
    """Who a new draft belongs to: the signed-in user, or nobody yet (this browser's session)."""
    return {"owner": request.user} if request.user.is_authenticated else {}


def ensure_access(request: HttpRequest, draft: FormDraft) -> None:
    """Only the draft's owner, or the browser that started it, may see or change it.

    The browser's claim is kept in its session data, which survives logging in (the session key
    changes at login, the data does not); the draft then passes to the account (`claim`).
    """
    if draft.owner_id is not None:
        if request.user.is_authenticated and draft.owner_id == request.user.pk:
            return
        raise DraftNotYours()
    if str(draft.pk) in request.session.get(SESSION_DRAFTS, []):
        claim(request, draft)
        return
    raise DraftNotYours()


def claim(request: HttpRequest, draft: FormDraft) -> None:
    """An anonymous draft becomes the signed-in user's."""
    if draft.owner_id is None and request.user.is_authenticated:
        draft.owner = request.user
        draft.save(update_fields=["owner", "updated_at"])


@transaction.atomic
def start_draft(
    *, version: VariantVersion, request: HttpRequest, preview: bool = False
) -> FormDraft:
    draft = FormDraft.objects.create(version=version, preview=preview, **owner_of(request))
    if draft.owner_id is None:
        kept = request.session.get(SESSION_DRAFTS, [])[-19:]
        request.session[SESSION_DRAFTS] = [*kept, str(draft.pk)]
    return draft


def remember_typed(draft: FormDraft, step: int, data: Any, *, valid: bool) -> None:
    """Keep the step's typed values as sent, so an invalid step comes back as it was typed."""
    values = {key: data.getlist(key) for key in data if key not in NOT_SAVED}
    draft.raw = {**draft.raw, str(step): {"data": values, "valid": valid}}


def typed_values(draft: FormDraft, step: int) -> tuple[Any, bool] | None:
    """The typed values of a step as a QueryDict-like mapping, and whether they validated."""
    from django.http import QueryDict

    saved = draft.raw.get(str(step))
    if not saved:
        return None
    data = QueryDict(mutable=True)
    for key, values in saved["data"].items():
        data.setlist(key, values)
    return data, bool(saved.get("valid"))


def _save_upload(draft: FormDraft, block: dict[str, Any], upload: UploadedFile) -> str:
    """Keep an uploaded file with the draft; the answer is its storage name."""
    return default_storage.save(f"drafts/{draft.pk}/{block['key']}/{upload.name}", upload)


@transaction.atomic
def save_step(
    draft: FormDraft, *, step: engine.Step, form: engine.StepForm, data: Any, move_to: int
) -> None:
    """Store the step: its answers when valid, its typed values always; then go to `move_to`."""
    valid = form.is_valid()
    if valid:
        answers = {
            key: value
            for key, value in draft.answers.items()
            if key not in {b.get("key") for b in step.blocks}
        }
        answers.update(form.answers(lambda block, upload: _save_upload(draft, block, upload)))
        draft.answers = engine.applicable_answers(draft.version.definition, answers)
    remember_typed(draft, step.index, data, valid=valid)
    draft.step = move_to if valid or move_to < step.index else step.index
    draft.save(update_fields=["answers", "raw", "step", "updated_at"])
