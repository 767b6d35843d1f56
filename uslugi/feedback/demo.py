"""Demo feedback: an account for the curator of the old-age pension in region 56, and comments.

Loaded only by `manage.py load_demo` after the catalogue's and applications' demos; idempotent.
"""

from django.db import transaction

from uslugi.accounts.models import Role, User
from uslugi.applications.demo import PASSWORD
from uslugi.catalogue.models import Service
from uslugi.feedback import services
from uslugi.feedback.models import Comment

CURATOR_USERNAME = "curator56"
COMMENTS = [
    ("Подала заявление онлайн, назначили за неделю. Спасибо!", True),
    ("Долго ждала ответа на запрос о стаже, хотелось бы видеть, на каком он этапе.", False),
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    service = Service.objects.filter(region__code="56", code="pensiya_star").first()
    if service is None:
        return {"curator accounts": 0, "comments": 0}
    curator = services.curator_in_force(service)
    if curator is None:
        return {"curator accounts": 0, "comments": 0}
    created_accounts = 0
    user = User.objects.filter(username=CURATOR_USERNAME).first()
    if user is None:
        user = User(
            username=CURATOR_USERNAME,
            role=Role.CURATOR,
            region=service.region,
            agency=curator.agency,
            last_name=curator.last_name,
            first_name=curator.first_name,
            middle_name=curator.middle_name,
            email=f"{CURATOR_USERNAME}@demo.uslugi.invalid",
            is_staff=True,
        )
        user.set_password(PASSWORD)
        user.save()
        created_accounts = 1
    if curator.user_id is None:
        # Demo data only: the catalogue has no service for linking an account to a curator yet.
        curator.user = user
        curator.save(update_fields=["user"])
    created_comments = 0
    author = User.objects.filter(username="citizen").first()
    if author is not None and not Comment.objects.filter(service=service).exists():
        for text, publish in COMMENTS:
            comment = services.post_comment(service=service, user=author, text=text)
            if publish:
                services.moderate_comment(comment=comment, user=user, publish=True)
            created_comments += 1
    return {"curator accounts": created_accounts, "comments": created_comments}
