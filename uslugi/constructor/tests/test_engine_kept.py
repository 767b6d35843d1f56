"""Forms that are only checked or read take the fields kept in the form analysis.

Intake checks every submission against the version in force through the step forms; building
their Django fields again each time cost more than the checks themselves.
"""

from django.utils import translation

from uslugi.constructor import engine
from uslugi.constructor.demo import field, section

CHILDREN = {
    "key": "children",
    "kind": "group",
    "label": "Children",
    "binding": "locked",
    "config": {"blocks": [{"key": "child_name", "kind": "text", "label": "Name"}]},
}
FORM = {
    "schema_version": 1,
    "blocks": [
        section("applicant", "Applicant"),
        field("full_name", "text", "Full name"),
        field(
            "delivery",
            "single_choice",
            "Delivery",
            config={
                "widget": "select",
                "options": [{"value": "post", "label": "Post"}, {"value": "bank", "label": "Bank"}],
            },
        ),
        field("bank", "text", "Bank", condition='delivery == "bank"'),
        CHILDREN,
    ],
}
ANSWERS = {"full_name": "Петрова Мария", "delivery": "bank", "bank": "", "children": []}


def checked_form(analysis: engine.Analysis, answers: dict[str, object]) -> engine.StepForm:
    step = analysis.steps[0]
    data = engine.answers_as_data(FORM, step, answers, analysis)
    return engine.build_step_form(FORM, step, answers, data, analysis=analysis, check_only=True)


def test_checked_forms_share_the_kept_fields_and_a_rendered_form_builds_its_own() -> None:
    # given one analysis
    analysis = engine.analyse(FORM)
    step = analysis.steps[0]
    # when two submissions are checked and the step is rendered once
    first, second = checked_form(analysis, ANSWERS), checked_form(analysis, ANSWERS)
    rendered = engine.build_step_form(FORM, step, ANSWERS, analysis=analysis)
    # then the checks share each field and the group's formset class, and nothing of the page
    # (the attributes HTMX reads) was written into the kept fields
    assert list(first.fields) == list(second.fields) == ["full_name", "delivery", "bank"]
    for key in first.fields:
        assert first.fields[key] is second.fields[key]
        assert rendered.fields[key] is not first.fields[key]
        assert "hx-preserve" not in first.fields[key].widget.attrs
        assert rendered.fields[key].widget.attrs["hx-preserve"] == "true"
    assert type(first.groups["children"]) is type(second.groups["children"])
    assert first.groups["children"] is not second.groups["children"]


def test_checking_with_kept_fields_finds_what_fresh_fields_find() -> None:
    # given answers missing the bank that the delivery asks for
    analysis = engine.analyse(FORM)
    step = analysis.steps[0]
    # when checked with the kept fields (twice, the second time on kept ones) and with fresh ones
    kept = [checked_form(analysis, ANSWERS) for _ in range(2)]
    data = engine.answers_as_data(FORM, step, ANSWERS, engine.analyse(FORM))
    fresh = engine.build_step_form(FORM, step, ANSWERS, data, analysis=engine.analyse(FORM))
    # then each finds the same one error and the same clean answers
    with translation.override("en"):
        assert [form.is_valid() for form in [*kept, fresh]] == [False, False, False]
        assert (
            kept[0].errors
            == kept[1].errors
            == fresh.errors
            == {"bank": ["This field is required."]}
        )
    assert kept[1].cleaned_data == fresh.cleaned_data


def test_kept_fields_are_kept_per_language() -> None:
    # given one analysis, checked in Russian and in English
    analysis = engine.analyse(FORM)
    with translation.override("ru"):
        russian = checked_form(analysis, ANSWERS).fields["delivery"]
    with translation.override("en"):
        english = checked_form(analysis, ANSWERS).fields["delivery"]
    # then each language has its own field, with the words of its language
    assert russian is not english
    assert (russian.choices[0][1], english.choices[0][1]) == ("Выберите…", "Choose…")
