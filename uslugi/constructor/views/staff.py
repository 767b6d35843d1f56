"""Staff pages of the constructor: dashboard, editor (HTMX), history with diffs, rebase, import."""

from itertools import pairwise
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.constructor import blocks as block_kinds
from uslugi.constructor import drafts, editing, engine, permissions, selectors, services, transfer
from uslugi.constructor.definitions import blocks_of, index_blocks
from uslugi.constructor.diff import diff_definitions
from uslugi.constructor.forms import (
    BlockForm,
    ImportForm,
    TemplateStandardForm,
    VariantParametersForm,
)
from uslugi.constructor.models import (
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)
from uslugi.core.errors import UserFacingError
from uslugi.core.http import is_htmx_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    permissions.ensure(permissions.can_use_constructor(request.user))
    region = None if request.user.is_superuser else getattr(request.user, "region", None)
    variants = selectors.list_variants(region=region)
    have = {variant.template_id for variant in variants}
    return render(
        request,
        "constructor/dashboard.html",
        {
            "templates": selectors.list_templates(),
            "variants": variants,
            "region": region,
            "missing": [
                template for template in selectors.list_templates() if template.pk not in have
            ],
            "can_edit_templates": permissions.can_edit_templates(request.user),
        },
    )


# The editor, shared by template drafts and variant drafts ------------------------------------


def _editor_context(
    request: HttpRequest,
    version: Any,
    *,
    selected: str = "",
    block_form: BlockForm | None = None,
    settings_form: Any = None,
    problems: Any = None,
) -> dict[str, Any]:
    is_variant = isinstance(version, VariantVersion)
    template_blocks = index_blocks(version.based_on.definition) if is_variant else {}
    blocks = blocks_of(version.definition)
    selected_block = next((block for block in blocks if block["key"] == selected), None)
    if selected_block and block_form is None:
        block_form = BlockForm(
            block=selected_block,
            definition=version.definition,
            for_template=not is_variant,
            template_block=template_blocks.get(selected),
        )
    if settings_form is None:
        settings_form = _settings_form(version)
    if problems is None:
        problems = (
            services.check_variant_version(version)
            if is_variant
            else services.compliance.check_template(version.definition)
        )
    rows = []
    for block in blocks:
        origin = (
            "template"
            if block["key"] in template_blocks
            else ("local" if is_variant else "template")
        )
        rows.append(
            {
                "block": block,
                "origin": origin,
                "binding": (template_blocks.get(block["key"]) or block).get("binding", "locked"),
                "protected": block["key"] in template_blocks,
                "kind_title": _kind_title(block),
            }
        )
    return {
        "version": version,
        "is_variant": is_variant,
        "rows": rows,
        "selected": selected_block,
        "block_form": block_form,
        "settings_form": settings_form,
        "problems": problems,
        "palette": block_kinds.list_block_kinds(),
        "preview_steps": engine.steps_of(version.definition),
        "editor_url": request.path,
    }


def _kind_title(block: dict[str, Any]) -> str:
    try:
        return str(block_kinds.get_block_kind(block.get("kind")).title)
    except block_kinds.UnknownBlockKind:
        return str(block.get("kind"))


def _settings_form(version: Any, data: Any = None) -> Any:
    if isinstance(version, VariantVersion):
        return VariantParametersForm(
            data,
            region=version.variant.region,
            initial={
                "agency": version.agency,
                "curator": version.curator,
                "term": version.term,
                "term_kind": version.term_kind,
                "visits": version.visits,
                "channels": version.channels,
            },
        )
    return TemplateStandardForm(
        data,
        initial={name: getattr(version, name) for name in services.STANDARD_FIELDS},
    )


def _save(version: Any, actor: Any, revision: int, **changes: Any) -> None:
    if isinstance(version, VariantVersion):
        services.save_variant_draft(version=version, actor=actor, revision=revision, **changes)
    else:
        services.save_template_draft(version=version, actor=actor, revision=revision, **changes)


def _editor(request: HttpRequest, version: Any, back_url: str) -> HttpResponse:
    """GET shows the editor; POST performs one action and shows the result (HTMX or redirect)."""
    status = 200
    context_overrides: dict[str, Any] = {}
    selected = request.GET.get("block", "")
    if request.method == "POST":
        action = request.POST.get("action", "")
        key = request.POST.get("key", "")
        selected = key
        try:
            revision = int(request.POST.get("revision", "0"))
        except ValueError:
            revision = 0
        protected = (
            frozenset(index_blocks(version.based_on.definition))
            if isinstance(version, VariantVersion)
            else frozenset()
        )
        try:
            if action == "add":
                definition, selected = editing.add_block(
                    version.definition,
                    kind=request.POST.get("kind", ""),
                    after=key or None,
                    binding="local" if isinstance(version, VariantVersion) else "locked",
                )
                _save(version, request.user, revision, definition=definition)
            elif action == "remove":
                _save(
                    version,
                    request.user,
                    revision,
                    definition=editing.remove_block(
                        version.definition, key=key, protected=protected
                    ),
                )
                selected = ""
            elif action in {"up", "down"}:
                definition = editing.move_block(
                    version.definition, key=key, offset=-1 if action == "up" else 1
                )
                _save(version, request.user, revision, definition=definition)
            elif action == "save_block":
                block = index_blocks(version.definition).get(key)
                if block is None:
                    raise editing.BlockNotFound()
                template_block = (
                    index_blocks(version.based_on.definition).get(key)
                    if isinstance(version, VariantVersion)
                    else None
                )
                form = BlockForm(
                    request.POST,
                    block=block,
                    definition=version.definition,
                    for_template=not isinstance(version, VariantVersion),
                    template_block=template_block,
                )
                if form.is_valid():
                    definition = editing.update_block(
                        version.definition, key=key, changes=form.changes()
                    )
                    _save(version, request.user, revision, definition=definition)
                    messages.success(request, _("The block is saved."))
                else:
                    context_overrides["block_form"] = form
                    status = 400
            elif action == "save_settings":
                form = _settings_form(version, request.POST)
                if form.is_valid():
                    _save(version, request.user, revision, **form.cleaned_data)
                    messages.success(request, _("Saved."))
                else:
                    context_overrides["settings_form"] = form
                    status = 400
            elif action == "publish":
                if version.revision != revision:
                    raise services.EditConflict()
                if isinstance(version, VariantVersion):
                    services.publish_variant(version=version, actor=request.user)
                else:
                    services.publish_template(version=version, actor=request.user)
                messages.success(request, _("Published. The version is now in force."))
                return redirect(back_url)
            else:
                messages.error(request, _("Unknown action."))
                status = 400
        except services.NotCompliant as refusal:
            context_overrides["problems"] = refusal.problems
            messages.error(
                request, _("Publication refused: the variant breaks the rules listed below.")
            )
            status = 400
        except UserFacingError as error:
            messages.error(request, error.message)
            status = error.status
        version.refresh_from_db()
        if status == 200 and not is_htmx_for(request, "editor"):
            url = request.path + (f"?block={selected}" if selected else "")
            return redirect(url)
    context = _editor_context(request, version, selected=selected, **context_overrides)
    context["back_url"] = back_url
    template = "constructor/editor.html"
    if is_htmx_for(request, "editor"):
        template += "#editor"
    return render(request, template, context, status=status)


# Templates -----------------------------------------------------------------------------------


@login_required
def template_detail(request: HttpRequest, code: str) -> HttpResponse:
    permissions.ensure(permissions.can_use_constructor(request.user))
    template = selectors.get_template(code)
    versions = list(template.versions.order_by("-number"))
    return render(
        request,
        "constructor/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "can_edit": permissions.can_edit_templates(request.user),
            "diffs": _consecutive_diffs(versions),
        },
    )


@login_required
def template_draft(request: HttpRequest, code: str) -> HttpResponse:
    permissions.ensure(permissions.can_edit_templates(request.user))
    template = selectors.get_template(code)
    version = template.versions.filter(status=VersionStatus.DRAFT).first()
    if version is None:
        if request.method != "POST":
            return render(
                request, "constructor/start_draft.html", {"title": template.name}, status=404
            )
        version = services.start_template_draft(template=template, actor=request.user)
        return redirect("constructor:template_draft", code=code)
    return _editor(request, version, reverse("constructor:template_detail", args=[code]))


@login_required
def template_export(request: HttpRequest, code: str, number: int) -> HttpResponse:
    permissions.ensure(permissions.can_use_constructor(request.user))
    version = selectors.get_template_version(selectors.get_template(code), number)
    return _download(transfer.export_template_version(version), f"template-{code}-v{number}.json")


def _download(document: dict[str, Any], filename: str) -> HttpResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _consecutive_diffs(versions: list[Any]) -> dict[int, Any]:
    ordered = sorted(versions, key=lambda version: version.number)
    return {
        newer.number: diff_definitions(older.definition, newer.definition)
        for older, newer in pairwise(ordered)
    }


# Variants ------------------------------------------------------------------------------------


@login_required
@require_POST
def variant_create(request: HttpRequest) -> HttpResponse:
    template = selectors.get_template(request.POST.get("template", ""))
    region = (
        getattr(request.user, "region", None)
        if not request.user.is_superuser
        else catalogue_selectors.get_region(request.POST.get("region", ""))
    )
    permissions.ensure(permissions.can_use_constructor(request.user))
    if region is None:
        raise Http404(_("Choose a region first."))
    template_version = selectors.latest_published_template_version(template)
    if template_version is None:
        messages.error(request, _("The template has no published version yet."))
        return redirect("constructor:dashboard")
    service = (
        catalogue_selectors.list_services(catalogue_selectors.ServiceFilter(region=region))
        .filter(code=template.code)
        .first()
    )
    if service is None:
        messages.error(
            request,
            _("The region's catalogue has no service %(code)s to attach the variant to.")
            % {"code": template.code},
        )
        return redirect("constructor:dashboard")
    version = services.create_variant(
        template_version=template_version, region=region, service=service, actor=request.user
    )
    return redirect("constructor:variant_draft", pk=version.variant_id)


def _variant_for(request: HttpRequest, pk: int, *, edit: bool = False) -> RegionalVariant:
    variant = selectors.get_variant(pk)
    allowed = permissions.can_edit_variant(request.user, variant)
    if not edit:
        allowed = allowed or permissions.can_edit_templates(request.user)
    permissions.ensure(allowed)
    return variant


@login_required
def variant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    variant = _variant_for(request, pk)
    versions = list(variant.versions.select_related("based_on").order_by("-number"))
    latest = versions[0] if versions else None
    newer = selectors.newer_template_version(latest) if latest else None
    return render(
        request,
        "constructor/variant_detail.html",
        {
            "variant": variant,
            "versions": versions,
            "diffs": _consecutive_diffs(versions),
            "newer": newer,
            "newer_diff": diff_definitions(latest.based_on.definition, newer.definition)
            if latest and newer
            else None,
            "against_template": diff_definitions(latest.based_on.definition, latest.definition)
            if latest
            else [],
            "can_edit": permissions.can_edit_variant(request.user, variant),
        },
    )


@login_required
def variant_draft(request: HttpRequest, pk: int) -> HttpResponse:
    variant = _variant_for(request, pk, edit=True)
    version = selectors.current_draft(variant)
    if version is None:
        if request.method != "POST":
            return render(
                request, "constructor/start_draft.html", {"title": str(variant)}, status=404
            )
        services.start_variant_draft(variant=variant, actor=request.user)
        return redirect("constructor:variant_draft", pk=pk)
    return _editor(request, version, reverse("constructor:variant_detail", args=[pk]))


@login_required
@require_POST
def variant_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the draft as a citizen would see it, through the real form engine."""
    variant = _variant_for(request, pk, edit=True)
    version = selectors.current_draft(variant) or variant.versions.order_by("-number").first()
    if version is None:
        return redirect("constructor:variant_detail", pk=pk)
    draft = drafts.start_draft(version=version, request=request, preview=True)
    return redirect("constructor:form_step", draft_id=draft.pk)


@login_required
def variant_rebase(request: HttpRequest, pk: int) -> HttpResponse:
    variant = _variant_for(request, pk, edit=True)
    source = selectors.current_draft(variant) or variant.versions.order_by("-number").first()
    onto = selectors.newer_template_version(source) if source else None
    if source is None or onto is None:
        messages.info(request, _("The variant is built on the newest template version."))
        return redirect("constructor:variant_detail", pk=pk)
    resolutions = {
        name.removeprefix("conflict:"): value
        for name, value in request.POST.items()
        if name.startswith("conflict:") and value in {"mine", "theirs"}
    }
    result = services.preview_rebase(version=source, onto=onto, resolutions=resolutions)
    if request.method == "POST" and result.clean:
        services.rebase_variant(
            variant=variant, onto=onto, actor=request.user, resolutions=resolutions
        )
        messages.success(
            request,
            _("The variant now builds on template version %(number)s; check it and publish.")
            % {"number": onto.number},
        )
        return redirect("constructor:variant_draft", pk=pk)
    pending = services.preview_rebase(version=source, onto=onto)
    return render(
        request,
        "constructor/rebase.html",
        {
            "variant": variant,
            "source": source,
            "onto": onto,
            "conflicts": pending.conflicts,
            "resolutions": resolutions,
            "carried": result.carried,
            "template_diff": diff_definitions(source.based_on.definition, onto.definition),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def variant_export(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    variant = _variant_for(request, pk)
    version = selectors.get_variant_version(variant, number)
    return _download(
        transfer.export_variant_version(version),
        f"variant-{variant.template.code}-{variant.region.code}-v{number}.json",
    )


@login_required
def import_definition(request: HttpRequest) -> HttpResponse:
    permissions.ensure(permissions.can_use_constructor(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            document = transfer.parse_json(form.cleaned_data["file"].read())
            kind = document.get("format") if isinstance(document, dict) else None
            if kind == transfer.VARIANT_FORMAT:
                permissions.ensure(
                    permissions.can_import_variant(request.user, document.get("region"))
                )
                version = transfer.import_variant(document=document, actor=request.user)
                messages.success(request, _("Imported as a new draft."))
                return redirect("constructor:variant_draft", pk=version.variant_id)
            permissions.ensure(permissions.can_edit_templates(request.user))
            template_version: TemplateVersion = transfer.import_template(
                document=document, actor=request.user
            )
            messages.success(request, _("Imported as a new draft."))
            return redirect("constructor:template_draft", code=template_version.template.code)
        except transfer.ImportRejected as rejection:
            reasons = rejection.reasons
    return render(
        request,
        "constructor/import.html",
        {"form": form, "reasons": reasons},
        status=400 if reasons or (request.method == "POST" and not form.is_valid()) else 200,
    )
