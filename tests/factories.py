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


# Quizzes: the question bank and quiz pages ---------------------------------------------------


def _default_locale():
    from wagtail.models import Locale

    return Locale.get_default()


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = "quizzes.Topic"

    name = factory.Sequence(lambda n: f"Дауыс санау {n}")
    locale = factory.LazyFunction(_default_locale)


class QuestionFactory(DjangoModelFactory):
    """A single choice question; give ``choices=[("text", True), ...]`` to add its choices."""

    class Meta:
        model = "quizzes.Question"
        skip_postgeneration_save = True

    topic = factory.SubFactory(TopicFactory)
    kind = "single"
    text = factory.Sequence(lambda n: f"<p>Сайлау учаскесі қашан ашылады? {n}</p>")
    locale = factory.LazyAttribute(lambda question: question.topic.locale)

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):
        for order, (text, is_correct) in enumerate(extracted or []):
            ChoiceFactory(question=obj, text=text, is_correct=is_correct, sort_order=order)


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = "quizzes.Choice"

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Жауап {n}")
    locale = factory.LazyAttribute(lambda choice: choice.question.locale)
    sort_order = factory.Sequence(lambda n: n)


class QuizPageFactory:
    """Quiz pages under a course under the catalogue of the Kazakh home page."""

    _counter = 0

    @classmethod
    def course(cls, **fields):
        from cms.models import HomePage
        from courses.models import CourseIndexPage, CoursePage

        cls._counter += 1
        home = HomePage.objects.get(locale__language_code="kk")
        catalogue = CourseIndexPage.objects.child_of(home).first() or home.add_child(
            instance=CourseIndexPage(title="Курстар", slug="courses")
        )
        fields.setdefault("title", f"Дауыс санау курсы {cls._counter}")
        fields.setdefault("slug", f"course-{cls._counter}")
        fields.setdefault("summary", "Дауыс санау және хаттама.")
        return catalogue.add_child(instance=CoursePage(**fields))

    @classmethod
    def create(cls, parent=None, rules=(), **fields):
        """``rules``: dicts of QuizRule fields (question=…, or topic=…, position=…, count=…)."""
        from quizzes.models import QuizPage, QuizRule

        cls._counter += 1
        parent = parent or cls.course()
        fields.setdefault("title", f"Қорытынды тест {cls._counter}")
        fields.setdefault("slug", f"final-test-{cls._counter}")
        quiz = QuizPage(**fields)
        quiz.rules = [QuizRule(**rule) for rule in rules]
        return parent.add_child(instance=quiz)


def staff_user(group_name: str, admin_language: str = "", **fields) -> User:
    """A member of a staff group ("Trainers", "Central administrators"), not a superuser; with
    the Wagtail admin in ``admin_language`` if given (tests that read messages use "en")."""
    from django.contrib.auth.models import Group

    from wagtail.users.models import UserProfile

    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    if admin_language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = admin_language
        profile.save()
    return user
