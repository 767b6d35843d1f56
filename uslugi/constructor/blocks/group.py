"""The repeating group: a list of items, each answering the same child fields.

A group is not one Django field. `formset_for(block)` returns a formset class whose form has one
field per child block (named by the child's key). The form engine uses it like this:

    FormSet = formset_for(block)
    formset = FormSet(data, files, prefix=block["key"], initial=from_json(block, stored))
    if formset.is_valid():
        answer = to_json(block, formset.answers())

`answers()` is the list of items (`{child key: cleaned value}`), without blank extra items and
items ticked for removal. Without JavaScript, "add another item" is a submit button: the engine
re-renders with `FormSet(..., initial=...)` plus one extra form (`formset.extra = 1`), or bumps
`TOTAL_FORMS` itself. Each item is a `<fieldset>` whose legend is `formset.item_legend(index)`.
"""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from uslugi.constructor.blocks.bound_rules import WholeRange
from uslugi.constructor.blocks.config import ConfigReader
from uslugi.constructor.blocks.registry import (
    BlockKind,
    Category,
    ValueType,
    get_block_kind,
    register,
)

MAX_ITEMS = 100


def children_of(block: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    config = block.get("config")
    children = config.get("blocks") if isinstance(config, Mapping) else None
    return [child for child in children or [] if isinstance(child, Mapping)]


class GroupFormSet(forms.BaseFormSet):
    """The items of one group; `formset_for` sets `item_label` and `child_keys`."""

    item_label: str = ""
    child_keys: tuple[str, ...] = ()
    default_error_messages = {
        "too_few_forms": ngettext_lazy(
            "Add at least %(num)d item.", "Add at least %(num)d items.", "num"
        ),
        "too_many_forms": ngettext_lazy(
            "Add no more than %(num)d item.", "Add no more than %(num)d items.", "num"
        ),
    }

    def item_legend(self, index: int) -> str:
        """`Child 2` for the second item when `item_label` is `Child`; `Item 2` without one."""
        label = self.item_label or _("Item")
        return f"{label} {index + 1}"

    def answers(self) -> list[dict[str, Any]]:
        """The cleaned items in order; call after `is_valid()` returned True."""
        items = []
        deleted = self.deleted_forms if self.can_delete else []
        for form in self.forms:
            if form in deleted:
                continue
            if form.empty_permitted and not form.has_changed():
                continue
            items.append({key: form.cleaned_data.get(key) for key in self.child_keys})
        return items


def formset_for(block: Mapping[str, Any]) -> type[GroupFormSet]:
    """A formset class for a valid group block: one form per item, min/max items enforced.

    `required` on the group means at least one item even when `min_items` is 0.
    """
    config = block.get("config") or {}
    children = children_of(block)
    form_fields = {
        str(child["key"]): get_block_kind(child["kind"]).form_field(child) for child in children
    }
    item_form = type("GroupItemForm", (forms.Form,), dict(form_fields))  # the metaclass pops fields
    min_items = int(config.get("min_items", 0))
    if block.get("required") and min_items == 0:
        min_items = 1
    max_items = int(config.get("max_items", 10))
    formset = cast(
        type[GroupFormSet],
        forms.formset_factory(
            item_form,
            formset=GroupFormSet,
            extra=0 if min_items else 1,
            min_num=min_items,
            max_num=max_items,
            absolute_max=max_items,
            validate_min=True,
            validate_max=True,
            can_delete=True,
        ),
    )
    formset.item_label = str(config.get("item_label", ""))
    formset.child_keys = tuple(form_fields)
    return formset


@register
class GroupKind(BlockKind):
    """Repeated items of child fields (children of a kind `field` only: no groups inside)."""

    kind = "group"
    title = gettext_lazy("Repeating group")
    category = Category.STRUCTURE
    is_field = True
    bound_rules = {"min_items": WholeRange(0, MAX_ITEMS), "max_items": WholeRange(1, MAX_ITEMS)}

    def default_config(self) -> dict[str, Any]:
        """Empty until the administrator drops the first field into it."""
        return {"blocks": [], "min_items": 0, "max_items": 10, "item_label": ""}

    def read_config(self, reader: ConfigReader) -> None:
        """The children themselves are checked by `validate_block`, which walks into them."""
        low = reader.whole_number("min_items", 0, MAX_ITEMS, default=0)
        high = reader.whole_number("max_items", 1, MAX_ITEMS, default=10)
        reader.order("min_items", low, "max_items", high)
        reader.text("item_label", required=False)
        if not reader.has("blocks"):
            reader.missing("blocks")
            return
        children = reader.values["blocks"]
        if not isinstance(children, list) or not children:
            reader.add("blocks", _("blocks must list at least one field for each item."))

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        raise TypeError("A group is a list of items: use formset_for(block).")

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.GROUP

    def child_types(self, block: Mapping[str, Any]) -> dict[str, ValueType]:
        return {
            str(child["key"]): get_block_kind(child["kind"]).value_type(child)
            for child in children_of(block)
        }

    def to_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return self._convert(block, value, "to_json")

    def from_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return self._convert(block, value, "from_json")

    def _convert(self, block: Mapping[str, Any], value: Any, direction: str) -> Any:
        if value is None:
            return None
        kinds = {str(child["key"]): child for child in children_of(block)}
        return [
            {
                key: getattr(get_block_kind(kinds[key]["kind"]), direction)(kinds[key], answer)
                for key, answer in item.items()
                if key in kinds
            }
            for item in value
        ]
