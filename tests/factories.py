"""factory_boy factories shared by the whole suite."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from commissions.models import Commission, ManagerRole, Membership, Position


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Әлия Қуанышқызы Сәрсенбаева {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.kz")
    preferred_language = "kk"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class CommissionFactory:
    """Builds commission trees through treebeard, which owns the paths."""

    _counter = 0

    @classmethod
    def _next_code(cls, prefix: str) -> str:
        cls._counter += 1
        return f"{prefix}-{cls._counter:05d}"

    @classmethod
    def root(cls, **fields) -> Commission:
        fields.setdefault("code", cls._next_code("CEC"))
        fields.setdefault("level", Commission.Level.CENTRAL)
        fields.setdefault("name_kk", "Орталық сайлау комиссиясы")
        fields.setdefault("name_ru", "Центральная избирательная комиссия")
        fields.setdefault("name_en", "Central Election Commission")
        return Commission.add_root(**fields)

    @classmethod
    def child(cls, parent: Commission, level: str, **fields) -> Commission:
        fields.setdefault("code", cls._next_code(level[:3].upper()))
        fields.setdefault("name_kk", f"{fields['code']} комиссиясы")
        fields.setdefault("name_ru", f"Комиссия {fields['code']}")
        fields.setdefault("name_en", f"Commission {fields['code']}")
        parent.refresh_from_db()
        return parent.add_child(level=level, **fields)

    @classmethod
    def tree(cls) -> dict[str, Commission]:
        """central → 2 oblasts → 1 district each → 2 precincts each."""
        central = cls.root()
        nodes = {"central": central}
        for o in (1, 2):
            oblast = cls.child(central, Commission.Level.OBLAST)
            nodes[f"oblast{o}"] = oblast
            district = cls.child(oblast, Commission.Level.DISTRICT)
            nodes[f"district{o}"] = district
            for p in (1, 2):
                nodes[f"precinct{o}{p}"] = cls.child(district, Commission.Level.PRECINCT)
        return nodes


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    position = Position.MEMBER


class ManagerRoleFactory(DjangoModelFactory):
    class Meta:
        model = ManagerRole

    user = factory.SubFactory(UserFactory)
