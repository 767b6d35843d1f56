"""The citizen's profile form: every answer optional, an unanswered question stays unknown.

Unknown is not "no": a blank income is "we need your income", never zero. The family is known
only when the citizen says they listed everyone; otherwise the rules that count family members
answer "cannot tell".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.support.models import Sex

ADULT_ROWS = 3
CHILD_ROWS = 5
REGIONS = [
    ("56", "Оренбургская область"),
    ("16", "Республика Татарстан"),
    ("02", "Республика Башкортостан"),
]
YES_NO = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]
BENEFITS = [
    ("matcap_cert", _("Maternity capital certificate")),
    ("ediny_posobie", _("Unified allowance")),
    ("pensiya_star", _("Old-age pension")),
]


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _money(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
    )


def _yes_no(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=YES_NO)


def _count(label: Any, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum)


class ProfileForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), choices=REGIONS)
    birth_date = _date_field(_("Date of birth"))
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("Not stated")), *Sex.choices]
    )
    employed = _yes_no(_("Do you work or serve?"))
    annual_income = _money(
        _("Your income for the last 12 months, ₽"), _("Salary, pension, benefits; 0 if none.")
    )
    valid_reason_no_income = _yes_no(
        _("If you had no income: was there a valid reason (caring for a child under 3, study…)?")
    )
    receives_pension = _yes_no(_("Do you already receive a pension?"))
    insurance_years = _count(_("Insurance record, years"), 80)
    pension_points = forms.DecimalField(
        label=_("Pension points (individual pension coefficient)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=3,
    )
    work_years = _count(_("Total work record, years"), 80)
    labour_award = _yes_no(_("Do you hold an order, medal or departmental badge for labour?"))
    regional_award = _yes_no(_("Do you hold an award of the region?"))
    veteran_of_labour = _yes_no(_("Do you hold the title “Veteran of Labour”?"))
    disability_group = forms.ChoiceField(
        label=_("Disability group"),
        required=False,
        choices=[("", _("Not stated")), ("0", _("None")), ("1", "I"), ("2", "II"), ("3", "III")],
    )
    flats = _count(_("How many flats or houses does the family own?"), 50)
    living_area = forms.DecimalField(
        label=_("Total living area, m²"),
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
    )
    utility_costs = _money(_("Housing and utility costs a month, ₽"))
    benefits = forms.MultipleChoiceField(
        label=_("What you already receive"),
        required=False,
        choices=BENEFITS,
        widget=forms.CheckboxSelectMultiple,
    )
    family_complete = forms.BooleanField(
        label=_("I have listed every adult and child of my family above"),
        required=False,
        help_text=_("Leave unticked if you would rather not say; we will tell you what we need."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, ADULT_ROWS + 1):
            self.fields[f"adult_{index}_birth_date"] = _date_field(_("Date of birth"))
            self.fields[f"adult_{index}_income"] = _money(_("Income for 12 months, ₽"))
            self.fields[f"adult_{index}_employed"] = _yes_no(_("Works?"))
            self.fields[f"adult_{index}_valid_reason"] = _yes_no(_("No income for a valid reason?"))
        for index in range(1, CHILD_ROWS + 1):
            self.fields[f"child_{index}_birth_date"] = _date_field(_("Date of birth"))
            self.fields[f"child_{index}_disabled"] = forms.BooleanField(
                label=_("Disabled child"), required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name, value in list(data.items()):
            if name.endswith("birth_date") and value and value > today:
                self.add_error(name, _("A date of birth cannot be in the future."))
        return data

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The questions about the citizen, grouped as the page shows them."""
        groups = [
            (
                _("About you"),
                [
                    "region",
                    "birth_date",
                    "sex",
                    "employed",
                    "annual_income",
                    "valid_reason_no_income",
                    "disability_group",
                ],
            ),
            (
                _("Work and pension"),
                [
                    "receives_pension",
                    "insurance_years",
                    "pension_points",
                    "work_years",
                    "labour_award",
                    "regional_award",
                    "veteran_of_labour",
                ],
            ),
            (_("Home"), ["flats", "living_area", "utility_costs", "benefits"]),
        ]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def adult_rows(self) -> list[list[forms.BoundField]]:
        names = ("birth_date", "income", "employed", "valid_reason")
        return [
            [self[f"adult_{index}_{name}"] for name in names] for index in range(1, ADULT_ROWS + 1)
        ]

    def child_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"child_{index}_birth_date"], self[f"child_{index}_disabled"]]
            for index in range(1, CHILD_ROWS + 1)
        ]

    def profile(self) -> dict[str, Any]:
        """The answers as a rules profile: unanswered questions are left out (unknown)."""
        data = self.cleaned_data
        profile: dict[str, Any] = {"region": data["region"]}
        for name in ("birth_date", "insurance_years", "work_years", "flats"):
            if data.get(name) is not None:
                profile[name] = data[name]
        for name in ("annual_income", "pension_points", "living_area", "utility_costs"):
            if data.get(name) is not None:
                profile[name] = float(data[name])
        if data.get("sex"):
            profile["sex"] = data["sex"]
        if data.get("disability_group"):
            profile["disability_group"] = float(data["disability_group"])
        for name in (
            "employed",
            "valid_reason_no_income",
            "receives_pension",
            "labour_award",
            "regional_award",
            "veteran_of_labour",
        ):
            if data.get(name):
                profile[name] = data[name] == "yes"
        profile["benefits"] = list(data.get("benefits") or [])
        adults, children = [], []
        for index in range(1, ADULT_ROWS + 1):
            row = {
                "birth_date": data.get(f"adult_{index}_birth_date"),
                "annual_income": data.get(f"adult_{index}_income"),
                "employed": data.get(f"adult_{index}_employed"),
                "valid_reason_no_income": data.get(f"adult_{index}_valid_reason"),
            }
            if not any(value not in (None, "") for value in row.values()):
                continue
            adult: dict[str, Any] = {}
            if row["birth_date"]:
                adult["birth_date"] = row["birth_date"]
            if row["annual_income"] is not None:
                adult["annual_income"] = float(row["annual_income"])
            for key in ("employed", "valid_reason_no_income"):
                if row[key]:
                    adult[key] = row[key] == "yes"
            adults.append(adult)
        for index in range(1, CHILD_ROWS + 1):
            born = data.get(f"child_{index}_birth_date")
            if born:
                children.append(
                    {"birth_date": born, "disabled": bool(data.get(f"child_{index}_disabled"))}
                )
        if data.get("family_complete"):
            profile["other_adults"] = adults
            profile["children"] = children
        return profile


def initial_from_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """Form answers from a registry profile (the citizen's own), for "fill in from the registry"."""
    initial: dict[str, Any] = {"region": profile.get("region", "56")}
    for name in (
        "birth_date",
        "sex",
        "annual_income",
        "insurance_years",
        "pension_points",
        "work_years",
        "flats",
        "living_area",
        "utility_costs",
    ):
        if profile.get(name) is not None:
            value = profile[name]
            initial[name] = (
                int(value) if name in ("insurance_years", "work_years", "flats") else value
            )
    for name in (
        "employed",
        "valid_reason_no_income",
        "receives_pension",
        "labour_award",
        "regional_award",
        "veteran_of_labour",
    ):
        if profile.get(name) is not None:
            initial[name] = "yes" if profile[name] else "no"
    if profile.get("disability_group") is not None:
        initial["disability_group"] = str(int(profile["disability_group"]))
    initial["benefits"] = [code for code in profile.get("benefits") or [] if code in dict(BENEFITS)]
    adults, children = profile.get("other_adults"), profile.get("children")
    if adults is not None and children is not None:
        initial["family_complete"] = True
    for index, adult in enumerate((adults or [])[:ADULT_ROWS], start=1):
        initial[f"adult_{index}_birth_date"] = adult.get("birth_date")
        initial[f"adult_{index}_income"] = adult.get("annual_income")
        for key, field in (("employed", "employed"), ("valid_reason_no_income", "valid_reason")):
            if adult.get(key) is not None:
                initial[f"adult_{index}_{field}"] = "yes" if adult[key] else "no"
    for index, child in enumerate((children or [])[:CHILD_ROWS], start=1):
        initial[f"child_{index}_birth_date"] = child.get("birth_date")
        initial[f"child_{index}_disabled"] = bool(child.get("disabled"))
    return initial
