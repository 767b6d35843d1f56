import factory

from uslugi.accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Иван"
    last_name = "Петров"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.CITIZEN
    password = factory.django.Password("correct horse battery")
