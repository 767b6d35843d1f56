"""Demo people to try the demo region with: one account per role, password `uslugi-demo`.

Loaded only by `manage.py load_demo` (the demo region), never in a real deployment's data.
"""

from django.db import transaction

from uslugi.accounts.models import Role, User
from uslugi.catalogue.models import Agency, Region

PASSWORD = "uslugi-demo"

PEOPLE = [
    # username, role, region, agency code, last name, first name
    ("citizen", Role.CITIZEN, None, None, "Петрова", "Мария"),
    ("official56", Role.OFFICIAL, "56", "sfr-56", "Сергеев", "Олег"),
    ("social56", Role.OFFICIAL, "56", "social-56", "Кузнецова", "Ирина"),
    ("operator56", Role.MFC_OPERATOR, "56", "mfc-56", "Абрамова", "Елена"),
    ("admin56", Role.REGIONAL_ADMINISTRATOR, "56", None, "Волков", "Андрей"),
    ("admin16", Role.REGIONAL_ADMINISTRATOR, "16", None, "Галиев", "Ринат"),
    ("admin02", Role.REGIONAL_ADMINISTRATOR, "02", None, "Сафин", "Айдар"),
    ("methodologist", Role.FEDERAL_METHODOLOGIST, None, None, "Орлова", "Наталья"),
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    created = 0
    for username, role, region_code, agency_code, last_name, first_name in PEOPLE:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            role=role,
            region=Region.objects.get(code=region_code) if region_code else None,
            agency=Agency.objects.get(code=agency_code) if agency_code else None,
            last_name=last_name,
            first_name=first_name,
            email=f"{username}@demo.uslugi.invalid",
            is_staff=role != Role.CITIZEN,
        )
        user.set_password(PASSWORD)
        user.save()
        created += 1
    return {"people": created}
