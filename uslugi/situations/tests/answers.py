"""Complete answers for the demo's «Рождение ребёнка» in region 56, for tests."""

from typing import Any

from uslugi.situations.models import LifeSituation, SituationVersion

QUESTIONS = {
    "child_order": "second",
    "parent_not_working": True,
    "needs_kindergarten": True,
    "low_income": False,
}

SHARED = {
    "last_name": "Иванова",
    "first_name": "Анна",
    "middle_name": "Сергеевна",
    "birth_date": "1994-03-02",
    "snils": "112-233-445 95",
    "phone": "+7 912 345-67-89",
    "email": "ivanova@example.org",
    "address": {
        "region": "Оренбургская область",
        "settlement": "Оренбург",
        "street": "ул. Советская",
        "house": "1",
        "flat": "",
    },
    "child_last_name": "Иванов",
    "child_first_name": "Пётр",
    "child_birth_date": "2026-11-02",
}

OWN = {
    "birth__child_sex": "male",
    "birth__child_birth_place": "Оренбург",
    "birth__medical_certificate_number": "53-12345",
    "birth__parent_role": "mother",
    "birth__parents_married": False,
    "birth__solemn_registration": False,
    "birth_allowance__not_working": True,
    "birth_allowance__other_parent_not_working": "single",
    "kindergarten__desired_date": "2029-09-01",
    "kindergarten__preferred_kindergarten": "Детский сад № 5",
    "kindergarten__dou_transfer": False,
    "matcap__orb_regional_capital": True,
}

ANSWERS: dict[str, Any] = {**SHARED, **OWN}


def birth_version(region: str = "56") -> SituationVersion:
    return LifeSituation.objects.get(region__code=region, code="birth").versions.get()
