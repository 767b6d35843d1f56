"""The form engine: a published definition becomes the citizen's multi-step form.

Steps are the definition's sections. A block applies when its condition is true for the answers
known so far (typed values of the current step included), so conditional parts appear after a
"continue" round trip without JavaScript, and at once through HTMX with it. Answers are stored as
JSON through each block kind's `to_json`, and read back with `from_json`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from uslugi import rules
from uslugi.constructor import blocks as block_kinds
from uslugi.constructor.conditions import (
    applies,
    condition_sources,
    fields_of,
    record_of,
    schema_of,
)
from uslugi.constructor.definitions import Block, Definition, blocks_of, sections

SERVICE_KINDS = frozenset({"variant", "document", "step", "result", "notification"})


@dataclass(frozen=True)
class Step:
    index: int
    title: str
    blocks: list[Block] = field(default_factory=list)


def steps_of(definition: Definition) -> list[Step]:
    """The citizen's steps: every section holding something to answer or read."""
    steps: list[Step] = []
    for section, members in sections(definition):
        shown = [block for block in members if block.get("kind") not in SERVICE_KINDS]
        if shown:
            title = str(
                (section or {}).get("config", {}).get("title")
                or (section or {}).get("label")
                or _("Application")
            )
            steps.append(Step(len(steps), title, shown))
    return steps


@dataclass(frozen=True)
class Analysis:
    """What the forms of one definition need on every step, worked out once.

    Validating a submission builds each step's form twice (its stored answers as form data, then
    the bound form); without this, each build would derive the schema, the field blocks and the
    condition sources of the whole definition again. A published definition never changes, so its
    analysis can be kept (see constructor.selectors.analysis_of).

    `kept` holds, per language and block key, the Django fields and group formset classes of
    forms that are only checked or read, never rendered (see `kept_field`): building them again
    for every submission cost more than the checks themselves.
    """

    schema: rules.Schema
    fields: dict[str, Block]
    sources: frozenset[str]
    steps: tuple[Step, ...]
    kept: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)


def analyse(definition: Definition) -> Analysis:
    schema = schema_of(definition)
    return Analysis(
        schema=schema,
        fields=fields_of(definition),
        sources=condition_sources(definition, schema),
        steps=tuple(steps_of(definition)),
    )


def kept_field(analysis: Analysis, block: Block) -> forms.Field:
    """The analysis's field of a field block, built once per language.

    Shared by every form that only cleans or reads with it (cleaning changes no field): such a
    form must not be rendered, nor its fields changed. Per language, because a field may hold
    words translated when it was built.
    """
    return _kept_field(analysis, block, get_language() or "")


def _kept_field(analysis: Analysis, block: Block, language: str) -> forms.Field:
    key = (language, str(block["key"]))
    kept = analysis.kept.get(key)
    if kept is None:
        kept = analysis.kept[key] = block_kinds.form_field(block)
    return kept


def kept_formset(analysis: Analysis, block: Block) -> Any:
    """The analysis's formset class of a group block, built once per language (see kept_field);
    each form still makes its own formset of it."""
    return _kept_formset(analysis, block, get_language() or "")


def _kept_formset(analysis: Analysis, block: Block, language: str) -> Any:
    key = (language, f"{block['key']}[]")
    kept = analysis.kept.get(key)
    if kept is None:
        kept = analysis.kept[key] = block_kinds.formset_for(block)
    return kept


def is_field(block: Block) -> bool:
    try:
        return bool(block_kinds.get_block_kind(str(block.get("kind"))).is_field)
    except block_kinds.UnknownBlockKind:
        return False


class StepForm(forms.Form):
    """The fields of one step; repeating groups ride along as formsets in `self.groups`.

    With `kept`, the form takes that analysis's kept fields instead of building its own: it may
    be validated and read, never rendered (see `kept_field`).
    """

    def __init__(
        self,
        *args: Any,
        blocks: list[Block],
        answers: dict[str, Any],
        sources: frozenset[str] = frozenset(),
        kept: Analysis | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        self.groups: dict[str, Any] = {}  # block key -> GroupFormSet
        for block in blocks:
            if not is_field(block):
                continue
            key = block["key"]
            if block["kind"] == "group":
                formset_class = (
                    kept_formset(kept, block) if kept else block_kinds.formset_for(block)
                )
                initial = block_kinds.from_json(block, answers.get(key)) or []
                self.groups[key] = formset_class(
                    self.data if self.is_bound else None,
                    self.files if self.is_bound else None,
                    prefix=key,
                    initial=initial or None,
                )
                continue
            if kept is not None:
                self.fields[key] = kept_field(kept, block)
                if key in answers and answers[key] is not None:
                    self.initial[key] = block_kinds.from_json(block, answers[key])
                continue
            self.fields[key] = block_kinds.form_field(block)
            widget = self.fields[key].widget
            if key in sources:
                # HTMX re-asks the server when this answer changes: conditions may depend on it.
                widget.attrs["data-refresh"] = "true"
            # When HTMX swaps the step in, inputs already on the page stay as they are: whatever
            # was typed or chosen while the server answered is never replaced by an older copy.
            for part in getattr(widget, "widgets", [widget]):
                part.attrs["hx-preserve"] = "true"
            if key in answers and answers[key] is not None:
                self.initial[key] = block_kinds.from_json(block, answers[key])

    def is_valid(self) -> bool:
        valid = super().is_valid()
        groups_valid = [formset.is_valid() for formset in self.groups.values()]  # validate all
        return valid and all(groups_valid)

    def items(self) -> list[tuple[Block, Any]]:
        """(block, bound field or formset or None) in the order of the definition, for templates."""
        result: list[tuple[Block, Any]] = []
        for block in self.blocks:
            key = block.get("key", "")
            if key in self.groups:
                result.append((block, self.groups[key]))
            elif key in self.fields:
                result.append((block, self[key]))
            else:
                result.append((block, None))
        return result

    def answers(self, save_file: Callable[[Block, UploadedFile], str]) -> dict[str, Any]:
        """The step's answers as JSON; call after is_valid(). `save_file` stores an upload and
        returns its storage name."""
        result: dict[str, Any] = {}
        for block in self.blocks:
            key = block.get("key", "")
            if key in self.fields:
                value = self.cleaned_data.get(key)
                if isinstance(value, UploadedFile):
                    value = save_file(block, value)
                result[key] = block_kinds.to_json(block, value) if value is not None else None
            elif key in self.groups:
                result[key] = block_kinds.to_json(block, self.groups[key].answers())
        return result


def _children(block: Block) -> dict[str, Block]:
    return {child["key"]: child for child in block.get("config", {}).get("blocks", [])}


def provisional_answers(
    definition: Definition,
    step: Step,
    answers: dict[str, Any],
    data: Any,
    analysis: Analysis | None = None,
) -> dict[str, Any]:
    """Known answers plus whatever of the step's typed values already cleans, for conditions."""
    merged = dict(answers)
    for block in step.blocks:
        if not is_field(block) or block["kind"] in {"group", "file"}:
            continue
        field_ = kept_field(analysis, block) if analysis else block_kinds.form_field(block)
        try:
            value = field_.clean(field_.widget.value_from_datadict(data, {}, block["key"]))
        except forms.ValidationError:
            merged.pop(block["key"], None)
            continue
        merged[block["key"]] = block_kinds.to_json(block, value) if value is not None else None
    return merged


def visible(
    definition: Definition,
    step: Step,
    answers: dict[str, Any],
    analysis: Analysis | None = None,
) -> list[Block]:
    analysis = analysis or analyse(definition)
    record = record_of(definition, answers, analysis.fields)
    return [block for block in step.blocks if applies(block, record, analysis.schema)]


def build_step_form(
    definition: Definition,
    step: Step,
    answers: dict[str, Any],
    data: Any = None,
    files: Any = None,
    analysis: Analysis | None = None,
    check_only: bool = False,
) -> StepForm:
    """The form of `step`: bound to `data` when given, its blocks chosen by their conditions.

    `check_only` is for a form that is validated or read and never rendered (a submission
    checked again, answers turned into form data): it takes the analysis's kept fields.
    """
    analysis = analysis or analyse(definition)
    known = (
        provisional_answers(definition, step, answers, data, analysis)
        if data is not None
        else answers
    )
    return StepForm(
        data,
        files,
        blocks=visible(definition, step, known, analysis),
        answers=answers,
        sources=analysis.sources,
        kept=analysis if check_only else None,
    )


def applicable_answers(
    definition: Definition, answers: dict[str, Any], analysis: Analysis | None = None
) -> dict[str, Any]:
    """Only the answers of blocks whose conditions hold: a hidden field's old answer is dropped."""
    analysis = analysis or analyse(definition)
    return _applicable(answers, record_of(definition, answers, analysis.fields), analysis)


def _applicable(
    answers: dict[str, Any], record: dict[str, Any], analysis: Analysis
) -> dict[str, Any]:
    keep = {
        key for key, block in analysis.fields.items() if applies(block, record, analysis.schema)
    }
    return {key: value for key, value in answers.items() if key in keep}


@dataclass(frozen=True)
class Outcome:
    """What the answers lead to: the applicant's variant (Decree № 1228) and the documents."""

    variant: Block | None
    documents: list[Block]


def outcome_of(definition: Definition, answers: dict[str, Any]) -> Outcome:
    schema = schema_of(definition)
    variants = [block for block in blocks_of(definition) if block.get("kind") == "variant"]
    record = record_of(definition, answers)
    chosen = next((block for block in variants if applies(block, record, schema)), None)
    documents = [
        block
        for block in blocks_of(definition)
        if block.get("kind") == "document" and applies(block, record, schema)
    ]
    return Outcome(chosen, documents)


def display_value(block: Block, value: Any) -> str:
    """An answer as the citizen reads it back on the review page."""
    if value is None or value == "" or value == []:
        return "—"
    options = {
        option.get("value"): option.get("label")
        for option in block.get("config", {}).get("options", [])
    }
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(options.get(item, item)) for item in value)
    if isinstance(value, dict):
        if "name" in value and "size" in value:
            return str(value["name"])
        return ", ".join(str(part) for part in value.values() if part)
    return str(options.get(value, value))


def summary(
    definition: Definition, answers: dict[str, Any]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per step: (label, answer) pairs of the blocks that apply, groups one line per item."""
    schema = schema_of(definition)
    record = record_of(definition, answers)
    result = []
    for step in steps_of(definition):
        lines = []
        for block in step.blocks:
            if not is_field(block) or not applies(block, record, schema):
                continue
            value = answers.get(block["key"])
            if block["kind"] == "group":
                children = _children(block)
                for number, item in enumerate(value or [], start=1):
                    text = "; ".join(
                        f"{child.get('label')}: {display_value(child, item.get(name))}"
                        for name, child in children.items()
                    )
                    lines.append((f"{block.get('label')} {number}", text))
            else:
                lines.append((str(block.get("label")), display_value(block, value)))
        result.append((step.title, lines))
    return result


def _field_data(data: Any, name: str, field_: forms.Field, value: Any) -> None:
    """Write one field's stored answer into `data` as the browser would have sent it."""
    widget = field_.widget
    if isinstance(field_, forms.FileField) or value is None:
        return
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value) or []
        names = getattr(widget, "widgets_names", [f"_{index}" for index in range(len(parts))])
        for suffix, part in zip(names, parts, strict=False):
            data[f"{name}{suffix}"] = "" if part is None else str(part)
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
    elif isinstance(value, list | tuple):
        data.setlist(name, [str(item) for item in value])
    else:
        data[name] = str(value)


def answers_as_data(
    definition: Definition,
    step: Step,
    answers: dict[str, Any],
    analysis: Analysis | None = None,
) -> Any:
    """Stored answers as form data, to validate them again (at submission, or sent by the API)."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    form = build_step_form(definition, step, answers, analysis=analysis, check_only=True)
    for name, field_ in form.fields.items():
        _field_data(data, name, field_, form[name].value())
    for key, formset in form.groups.items():
        items = formset.initial or []
        data[f"{key}-TOTAL_FORMS"] = str(len(items))
        data[f"{key}-INITIAL_FORMS"] = "0"
        for index, item in enumerate(items):
            item_form = formset.form(prefix=f"{key}-{index}", initial=item)
            for name, field_ in item_form.fields.items():
                _field_data(data, f"{key}-{index}-{name}", field_, item_form[name].value())
    return data


@dataclass(frozen=True)
class CheckedAnswers:
    """What `check_answers` found: the reasons of a refusal, or the answers that apply.

    `reasons` follow the steps and, within a step, the form's own order: "key: message" for a
    field, "key: message" for a group as a whole and "key.N.name: message" for item N of it; a
    step refused without any message gives the caller's `unexplained`. `answers` are the
    applicable answers (see `applicable_answers`), empty when refused.
    """

    reasons: list[str]
    answers: dict[str, Any]


def check_answers(
    definition: Definition,
    answers: dict[str, Any],
    analysis: Analysis,
    *,
    unexplained: str | Promise,
) -> CheckedAnswers:
    """Check stored answers against every step of the form, as a submission is checked.

    The outcome is the one of validating, step by step, the form built by `build_step_form(...,
    check_only=True)` bound to `answers_as_data(...)`, then keeping `applicable_answers`: the
    same refusals, in the same order and language, and the same answers. It costs a fraction of
    that, because each answer is written as form data and cleaned once per step, where that path
    builds the step's form twice and cleans each answer twice (once for conditions, once for
    the form). The answers are typed for conditions once for all steps; a step's conditions are
    evaluated again on its cleaned answers only where a condition reads one that cleaning
    changed, since only then can the bound form show other blocks than the unbound one.
    `answers` are JSON values, as drafts and the API keep them.
    """
    language = get_language() or ""
    record = record_of(definition, answers, analysis.fields)
    reasons: list[str] = []
    for step in analysis.steps:
        check = _StepCheck(definition, step, answers, analysis, language)
        refused, lines = check.refusals(record)
        if refused:
            reasons.extend(lines or [str(unexplained)])
    if reasons:
        return CheckedAnswers(reasons, {})
    return CheckedAnswers([], _applicable(answers, record, analysis))


class _StepCheck:
    """One step of `check_answers`: the data the unbound form would give, each answer cleaned
    from it at most once, and the refusals of the bound form.

    The data is a MultiValueDict, as a QueryDict but without converting what is written into it
    (strings only, see `_field_data`)."""

    def __init__(
        self,
        definition: Definition,
        step: Step,
        answers: dict[str, Any],
        analysis: Analysis,
        language: str,
    ) -> None:
        self.definition = definition
        self.step = step
        self.answers = answers
        self.analysis = analysis
        self.language = language
        self.data: MultiValueDict[str, str] = MultiValueDict()
        self.cleaned: dict[str, tuple[Any, forms.ValidationError | None]] = {}

    def refusals(self, record: dict[str, Any]) -> tuple[bool, list[str]]:
        """Whether the step is refused and its "key: message" lines (see CheckedAnswers), with
        `record` the answers typed for conditions (record_of).

        The unbound form shows the blocks whose conditions hold for the answers; the bound form
        those whose conditions hold for the answers as its fields clean them (see
        `provisional_answers`)."""
        blocks = self.step.blocks
        conditional = any(str(block.get("condition") or "").strip() for block in blocks)
        if conditional:
            blocks = [block for block in blocks if applies(block, record, self.analysis.schema)]
        questions = [block for block in blocks if is_field(block)]
        initial = self.initial(questions)
        self.write_data(questions, initial)
        if conditional and not self.cleaned_as_stored():
            blocks = visible(self.definition, self.step, self.known(), self.analysis)
            questions = [block for block in blocks if is_field(block)]
            initial = self.initial(questions)
        return self.bound_refusals(questions, initial)

    def initial(self, questions: list[Block]) -> dict[str, Any]:
        """The initial values the step form takes for its field blocks (see StepForm)."""
        initial: dict[str, Any] = {}
        for block in questions:
            key = block["key"]
            if block["kind"] == "group":
                initial[key] = block_kinds.from_json(block, self.answers.get(key)) or []
            elif key in self.answers and self.answers[key] is not None:
                initial[key] = block_kinds.from_json(block, self.answers[key])
        return initial

    def write_data(self, questions: list[Block], initial: dict[str, Any]) -> None:
        """The form data of `answers_as_data`, without building the unbound form."""
        for block in questions:
            if block["kind"] != "group":
                key = block["key"]
                field_ = self.field(block)
                value = field_.prepare_value(initial.get(key, field_.initial))
                _field_data(self.data, key, field_, value)
        for block in questions:
            if block["kind"] == "group":
                key = block["key"]
                items = initial[key]
                self.data[f"{key}-TOTAL_FORMS"] = str(len(items))
                self.data[f"{key}-INITIAL_FORMS"] = "0"
                item_fields = self.formset(block).form.base_fields
                for index, item in enumerate(items):
                    for name, field_ in item_fields.items():
                        value = field_.prepare_value(item.get(name, field_.initial))
                        _field_data(self.data, f"{key}-{index}-{name}", field_, value)

    def field(self, block: Block) -> forms.Field:
        return _kept_field(self.analysis, block, self.language)

    def formset(self, block: Block) -> Any:
        return _kept_formset(self.analysis, block, self.language)

    def clean(self, block: Block) -> tuple[Any, forms.ValidationError | None]:
        """The block's answer cleaned from the data, or the refusal; once per step."""
        key = block["key"]
        if key not in self.cleaned:
            field_ = self.field(block)
            try:
                value = field_.clean(field_.widget.value_from_datadict(self.data, {}, key))
            except forms.ValidationError as error:
                self.cleaned[key] = (None, error)
            else:
                self.cleaned[key] = (value, None)
        return self.cleaned[key]

    def provisional(self) -> list[Block]:
        """The blocks whose answer `provisional_answers` replaces by its cleaned value."""
        return [
            block
            for block in self.step.blocks
            if is_field(block) and block["kind"] not in {"group", "file"}
        ]

    def cleaned_as_stored(self) -> bool:
        """Whether every answer a condition reads cleans to the stored answer, of the same
        types: then the conditions hold for the cleaned answers as for the stored ones."""
        for block in self.provisional():
            key = block["key"]
            if key not in self.analysis.sources:
                continue
            value, error = self.clean(block)
            if error is not None:
                if key in self.answers:
                    return False
                continue
            cleaned = block_kinds.to_json(block, value) if value is not None else None
            if key not in self.answers or not _same(cleaned, self.answers[key]):
                return False
        return True

    def known(self) -> dict[str, Any]:
        """The answers `provisional_answers` gives for conditions."""
        merged = dict(self.answers)
        for block in self.provisional():
            value, error = self.clean(block)
            if error is not None:
                merged.pop(block["key"], None)
                continue
            merged[block["key"]] = block_kinds.to_json(block, value) if value is not None else None
        return merged

    def refusal(self, block: Block, initial: dict[str, Any]) -> forms.ValidationError | None:
        """Why the bound form refuses the answer of a field block (not a group), if it does: a
        file field cleans with the stored file as its initial value (FileField)."""
        field_ = self.field(block)
        if not isinstance(field_, forms.FileField):
            return self.clean(block)[1]
        upload = field_.widget.value_from_datadict(self.data, MultiValueDict(), block["key"])
        try:
            field_.clean(upload, initial.get(block["key"], field_.initial))
        except forms.ValidationError as error:
            return error
        return None

    def bound_refusals(
        self, questions: list[Block], initial: dict[str, Any]
    ) -> tuple[bool, list[str]]:
        """What `StepForm.is_valid` and `errors` find in the form of these field blocks bound
        to the data: whether it is refused, and the lines."""
        refused = False
        lines: list[str] = []
        for block in questions:
            if block["kind"] != "group":
                error = self.refusal(block, initial)
                if error is not None:
                    refused = True
                    lines.extend(f"{block['key']}: {message}" for message in error.messages)
        for block in questions:
            if block["kind"] != "group":
                continue
            key = block["key"]
            formset = self.formset(block)(
                self.data, MultiValueDict(), prefix=key, initial=initial[key] or None
            )
            if formset.is_valid():
                continue
            refused = True
            lines.extend(f"{key}: {message}" for message in formset.non_form_errors())
            for index, errors in enumerate(formset.errors, start=1):
                lines.extend(
                    f"{key}.{index}.{name}: {message}"
                    for name, messages in errors.items()
                    for message in messages
                )
        return refused, lines


def _same(first: Any, second: Any) -> bool:
    """Equal, and of the same types all the way down (in Python True == 1 == 1.0)."""
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        return list(first) == list(second) and all(
            _same(value, second[key]) for key, value in first.items()
        )
    if isinstance(first, list):
        return len(first) == len(second) and all(map(_same, first, second))
    return bool(first == second)
