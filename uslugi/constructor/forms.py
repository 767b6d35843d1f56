"""Staff forms of the constructor: block settings, variant parameters, the template's standard."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uslugi import rules
from uslugi.catalogue.models import Agency, Channel, Curator, Region, TermKind
from uslugi.constructor import blocks as block_kinds
from uslugi.constructor.conditions import schema_of
from uslugi.constructor.definitions import Block, Definition

BINDINGS = [
    ("locked", _("locked: regions cannot change it")),
    ("parameter", _("parameter: regions fill it within bounds")),
    ("extension_point", _("extension point: regions may add blocks here")),
]
OVERRIDABLE = [("label", _("label")), ("help", _("help text")), ("options", _("options"))]


class JSONObjectField(forms.CharField):
    """A JSON object typed into a textarea; a syntax error names its line and column."""

    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "code"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return {}
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON: line %(line)s, column %(column)s: %(message)s."),
                params={"line": error.lineno, "column": error.colno, "message": error.msg},
            ) from None
        if not isinstance(parsed, dict):
            raise forms.ValidationError(_("Settings must be a JSON object, {…}."))
        return parsed


class BlockForm(forms.Form):
    """A block's settings. In a variant, a template block's locked parts are read-only."""

    label = forms.CharField(label=_("Label"), max_length=300, required=False)
    help = forms.CharField(
        label=_("Help text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("Answer required"), required=False)
    condition = forms.CharField(
        label=_("Condition"),
        required=False,
        help_text=_("Show the block only when this expression is true, e.g. children_count >= 3."),
    )
    config = JSONObjectField(label=_("Settings (JSON)"), required=False)
    binding = forms.ChoiceField(label=_("Binding for regions"), choices=BINDINGS, required=False)
    overridable = forms.MultipleChoiceField(
        label=_("Regions may override"),
        choices=OVERRIDABLE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bounds = JSONObjectField(label=_("Bounds for the region (JSON)"), required=False)

    def __init__(
        self,
        *args: Any,
        block: Block,
        definition: Definition,
        for_template: bool,
        template_block: Block | None,
        **kwargs: Any,
    ) -> None:
        initial = {
            "label": block.get("label", ""),
            "help": block.get("help", ""),
            "required": block.get("required", False),
            "condition": block.get("condition", ""),
            "config": block.get("config", {}),
            "binding": block.get("binding", "locked"),
            "overridable": block.get("overridable", []),
            "bounds": block.get("bounds", {}),
        }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.block = block
        self.definition = definition
        kind = block_kinds.get_block_kind(block.get("kind"))
        if not kind.is_field:
            del self.fields["required"]
        if not for_template:
            del self.fields["binding"], self.fields["overridable"], self.fields["bounds"]
        if template_block is not None:
            editable = self._region_editable(template_block)
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True
                    field.help_text = _("Set by the federal template.")

    @staticmethod
    def _region_editable(template_block: Block) -> set[str]:
        if template_block.get("binding") == "parameter":
            return {"config"}
        overridable = set(template_block.get("overridable", []))
        editable = overridable & {"label", "help"}
        if "options" in overridable:
            editable.add("config")
        return editable

    def clean_condition(self) -> str:
        source = self.cleaned_data.get("condition", "").strip()
        if source:
            errors = rules.collect_errors(source, schema_of(self.definition))
            if errors:
                raise forms.ValidationError([error.message for error in errors])
        return source

    def changes(self) -> dict[str, Any]:
        """The attributes to write, only those the staff member may change."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        candidate = {
            **self.block,
            **{k: v for k, v in data.items() if k in self.fields and not self.fields[k].disabled},
        }
        if candidate.get("binding") != "parameter":
            candidate.pop("bounds", None)
            data.pop("bounds", None)
        for error in block_kinds.validate_block(candidate):
            self.add_error(None, f"{error.path}: {error.message}")
        return data


class VariantParametersForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    curator = forms.ModelChoiceField(
        label=_("Curator"), queryset=Curator.objects.none(), required=False
    )
    term = forms.IntegerField(label=_("Term"), min_value=1, required=False)
    term_kind = forms.ChoiceField(label=_("Term kind"), choices=TermKind.choices)
    visits = forms.IntegerField(label=_("In-person visits"), min_value=0, max_value=10)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(region=region)  # type: ignore[attr-defined]
        self.fields["curator"].queryset = Curator.objects.filter(agency__region=region)  # type: ignore[attr-defined]


class TemplateStandardForm(forms.Form):
    max_term = forms.IntegerField(label=_("Maximum term"), min_value=1)
    term_kind = forms.ChoiceField(label=_("Term kind"), choices=TermKind.choices)
    max_applicant_documents = forms.IntegerField(
        label=_("Maximum documents from the applicant"), min_value=0
    )
    max_visits = forms.IntegerField(label=_("Maximum in-person visits"), min_value=0, max_value=10)
    required_channels = forms.MultipleChoiceField(
        label=_("Required channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    proactive = forms.BooleanField(label=_("Proactive"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("JSON file exported from Uslugi"))
