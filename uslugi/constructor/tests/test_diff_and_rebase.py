from typing import Any

from uslugi.constructor.diff import AttributeChange, diff_definitions
from uslugi.constructor.rebase import rebase


def block(key: str, kind: str = "text", **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "label": key.title(),
        "binding": "locked",
        "config": {},
        **extra,
    }


def definition(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "blocks": list(blocks)}


def keys(result: dict[str, Any]) -> list[str]:
    return [item["key"] for item in result["blocks"]]


def test_diff_lists_added_removed_changed_and_moved_blocks() -> None:
    # given
    before = definition(block("a"), block("b"), block("c"), block("d"))
    after = definition(block("b"), block("a"), block("c", label="Changed"), block("e"))
    # when
    changes = diff_definitions(before, after)
    # then
    assert [(change.key, change.action) for change in changes] == [
        ("d", "removed"),
        ("b", "moved"),
        ("c", "changed"),
        ("e", "added"),
    ]
    assert changes[2].changes == (AttributeChange("label", "C", "Changed"),)


def test_diff_compares_config_key_by_key() -> None:
    before = definition(block("a", config={"max_length": 200, "pattern": ""}))
    after = definition(block("a", config={"max_length": 100, "pattern": ""}))
    [change] = diff_definitions(before, after)
    assert change.changes == (AttributeChange("config.max_length", 200, 100),)


def test_identical_definitions_have_no_differences() -> None:
    same = definition(block("a"), block("b"))
    assert diff_definitions(same, same) == []


SECTION = {"kind": "section", "binding": "extension_point", "config": {"title": "Local"}}


def test_rebase_without_conflicts_carries_overrides_and_local_blocks() -> None:
    # given: the region relabelled "name" and added a local block in the extension point
    base = definition(block("name"), block("local", **SECTION), block("tail"))
    mine = definition(
        block("name", label="Full name"),
        block("local", **SECTION),
        block("club", binding="local"),
        block("tail"),
    )
    theirs = definition(
        block("name"), block("new_field"), block("local", **SECTION), block("tail", help="More")
    )
    # when
    result = rebase(base, theirs, mine)
    # then
    assert result.clean
    assert keys(result.definition) == ["name", "new_field", "local", "club", "tail"]
    assert result.definition["blocks"][0]["label"] == "Full name"
    assert result.definition["blocks"][4]["help"] == "More"
    assert result.carried == ["name.label", "club"]


def test_rebase_reports_a_conflict_where_both_changed_the_same_attribute() -> None:
    # given
    base = definition(block("name"))
    mine = definition(block("name", label="Region's label"))
    theirs = definition(block("name", label="Template's label"))
    # when
    pending = rebase(base, theirs, mine)
    mine_chosen = rebase(base, theirs, mine, {"changed:name:label": "mine"})
    theirs_chosen = rebase(base, theirs, mine, {"changed:name:label": "theirs"})
    # then
    [conflict] = pending.conflicts
    assert (conflict.id, conflict.mine, conflict.theirs) == (
        "changed:name:label",
        "Region's label",
        "Template's label",
    )
    assert mine_chosen.clean
    assert mine_chosen.definition["blocks"][0]["label"] == "Region's label"
    assert theirs_chosen.definition["blocks"][0]["label"] == "Template's label"


def test_rebase_conflicts_when_the_template_removes_a_changed_block_or_an_extension_point() -> None:
    # given
    base = definition(block("name"), block("local", **SECTION), block("tail"))
    mine = definition(
        block("name", label="Mine"),
        block("local", **SECTION),
        block("club", binding="local"),
        block("tail"),
    )
    theirs = definition(
        block("local", kind="section", binding="locked", config={"title": "Local"}), block("tail")
    )
    # when
    result = rebase(base, theirs, mine)
    # then
    assert sorted(conflict.id for conflict in result.conflicts) == ["orphan:club", "removed:name"]
    settled = rebase(base, theirs, mine, {"orphan:club": "theirs", "removed:name": "mine"})
    assert settled.clean
    assert keys(settled.definition) == ["local", "tail"]


def test_rebase_renames_a_local_block_whose_key_the_template_now_uses() -> None:
    base = definition(block("local", **SECTION))
    mine = definition(block("local", **SECTION), block("club", binding="local"))
    theirs = definition(block("local", **SECTION), block("club"))
    pending = rebase(base, theirs, mine)
    assert [conflict.id for conflict in pending.conflicts] == ["clash:club"]
    kept = rebase(base, theirs, mine, {"clash:club": "mine"})
    assert keys(kept.definition) == ["local", "club_local", "club"]
