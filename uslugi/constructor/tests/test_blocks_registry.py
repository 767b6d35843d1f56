"""The registry of block kinds: lookup, palette order and the palette entry of each kind."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from uslugi.constructor.blocks import (
    BlockKind,
    Category,
    UnknownBlockKind,
    get_block_kind,
    list_block_kinds,
    register,
)
from uslugi.constructor.blocks.registry import FieldKind


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


PALETTE = [
    # kind, title, category, is_field
    ("text", "Text", "field", True),
    ("long_text", "Long text", "field", True),
    ("number", "Number", "field", True),
    ("money", "Amount of money", "field", True),
    ("date", "Date", "field", True),
    ("single_choice", "Choice of one", "field", True),
    ("multiple_choice", "Choice of several", "field", True),
    ("yes_no", "Yes or no", "field", True),
    ("email", "Email", "field", True),
    ("phone", "Phone number", "field", True),
    ("snils", "SNILS", "field", True),
    ("inn_person", "INN of a person", "field", True),
    ("inn_organisation", "INN of an organisation", "field", True),
    ("passport", "Passport", "field", True),
    ("address", "Address", "field", True),
    ("file", "File", "field", True),
    ("section", "Section", "structure", False),
    ("info", "Information", "structure", False),
    ("group", "Repeating group", "structure", True),
    ("profile_question", "Profile question", "service", True),
    ("variant", "Variant of the service", "service", False),
    ("document", "Document", "service", False),
    ("step", "Step of the procedure", "service", False),
    ("result", "Result", "service", False),
    ("notification", "Notification", "service", False),
]


def test_the_palette_lists_every_kind_fields_first_then_structure_then_service() -> None:
    # when
    palette = [
        (kind.kind, str(kind.title), str(kind.category), kind.is_field)
        for kind in list_block_kinds()
    ]
    # then
    assert palette == PALETTE


@pytest.mark.parametrize("name", [row[0] for row in PALETTE])
def test_each_kind_is_found_by_its_name(name: str) -> None:
    assert get_block_kind(name).kind == name


@pytest.mark.parametrize("name", ["signature", "Text", "", None, 5])
def test_an_unknown_kind_raises_with_a_message(name: object) -> None:
    with pytest.raises(UnknownBlockKind) as caught:
        get_block_kind(name)
    assert caught.value.message == f"There is no block kind {name}."
    assert caught.value.status == 400


def test_a_kind_name_can_be_registered_only_once() -> None:
    # given a second class claiming the name of an existing kind
    class SecondText(FieldKind):
        kind = "text"
        title = "Text again"  # type: ignore[assignment]

    # when / then
    with pytest.raises(ValueError, match="'text' is registered twice"):
        register(SecondText)
    assert type(get_block_kind("text")).__name__ == "TextKind"
    assert len(list_block_kinds()) == len(PALETTE)


def test_default_configs_are_fresh_copies() -> None:
    # given a default taken from the palette and changed by the editor
    first = get_block_kind("single_choice").default_config()
    first["options"].append({"value": "c", "label": "C"})
    # when another block is added
    second = get_block_kind("single_choice").default_config()
    # then it starts from the untouched default
    assert second == {
        "options": [
            {"value": "option_1", "label": "Option 1"},
            {"value": "option_2", "label": "Option 2"},
        ],
        "widget": "radio",
    }


def test_categories_and_the_base_class() -> None:
    assert [str(c) for c in Category] == ["field", "structure", "service"]
    assert all(isinstance(kind, BlockKind) for kind in list_block_kinds())
