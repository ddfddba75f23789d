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


# Courses: election events, assignments, enrolments and course page trees ---------------------


class ElectionEventFactory(DjangoModelFactory):
    class Meta:
        model = "commissions.ElectionEvent"

    kind = "referendum"
    name_kk = factory.Sequence(lambda n: f"Республикалық референдум {n}")
    name_ru = factory.Sequence(lambda n: f"Республиканский референдум {n}")
    name_en = factory.Sequence(lambda n: f"National referendum {n}")
    vote_date = factory.LazyFunction(lambda: _today_plus(30))
    training_deadline = factory.LazyFunction(lambda: _today_plus(28))
    status = "training"


def _today_plus(days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = "courses.Assignment"

    event = factory.SubFactory(ElectionEventFactory)
    positions = factory.LazyFunction(lambda: [Position.MEMBER])
    levels = factory.LazyFunction(lambda: [Commission.Level.PRECINCT])


class EnrollmentFactory(DjangoModelFactory):
    """Give ``course=<CoursePage>`` (or ``course_key``)."""

    class Meta:
        model = "courses.Enrollment"
        exclude = ["course"]

    user = factory.SubFactory(UserFactory)
    course = None
    course_key = factory.LazyAttribute(lambda o: o.course.translation_key)
    source = "assignment"
    event = factory.SubFactory(ElectionEventFactory)


def home_page(language: str = "kk"):
    """The home page in ``language``, translated from the Kazakh one (and published) if needed."""
    from wagtail.models import Locale

    from cms.models import HomePage

    home = HomePage.objects.filter(locale__language_code=language).first()
    if home is None:
        kazakh = HomePage.objects.get(locale__language_code="kk")
        home = kazakh.copy_for_translation(Locale.objects.get(language_code=language))
        home.save_revision().publish()
    return home


def course_catalogue(language: str = "kk"):
    """The course catalogue in ``language`` (one per language, translated from the Kazakh)."""
    from wagtail.models import Locale

    from courses.models import CourseIndexPage

    home = home_page(language)
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is not None:
        return catalogue
    if language == "kk":
        return home.add_child(instance=CourseIndexPage(title="Курстар", slug="courses"))
    catalogue = course_catalogue("kk").copy_for_translation(
        Locale.objects.get(language_code=language)
    )
    catalogue.title = {"ru": "Курсы", "en": "Courses"}.get(language, catalogue.title)
    catalogue.save_revision().publish()
    return catalogue


def lesson_body(text: str) -> list[dict]:
    return [
        {"type": "heading", "value": {"text": text, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{text}: сабақтың мәтіні.</p>"},
    ]


class CourseTree:
    """Builds a live course in the Kazakh catalogue: ``CourseTree.build(modules=2, lessons=3)``.

    Pages are added live with Wagtail's ``add_child`` (no revisions, which keeps big trees fast).
    ``optional`` lists the (module, lesson) numbers, from 1, of lessons that are not required.
    """

    _counter = 0

    @classmethod
    def build(
        cls,
        *,
        modules: int = 2,
        lessons: int = 2,
        optional=(),
        is_public: bool = False,
        title: str | None = None,
        catalogue=None,
    ):
        from courses.models import CoursePage, LessonPage, ModulePage

        cls._counter += 1
        n = cls._counter
        catalogue = catalogue or course_catalogue("kk")
        catalogue.refresh_from_db()
        course = catalogue.add_child(
            instance=CoursePage(
                title=title or f"Учаскені ашу {n}",
                slug=f"course-{n}",
                summary="Сайлау учаскесін ашу тәртібі.",
                estimated_minutes=30 * modules,
                is_public=is_public,
                audience_positions=[Position.MEMBER],
                audience_levels=[Commission.Level.PRECINCT],
            )
        )
        for m in range(1, modules + 1):
            course.refresh_from_db()
            module = course.add_child(
                instance=ModulePage(title=f"{m}-модуль", slug=f"module-{m}", summary="Модуль.")
            )
            for lesson_number in range(1, lessons + 1):
                module.refresh_from_db()
                module.add_child(
                    instance=LessonPage(
                        title=f"{m}.{lesson_number} сабақ",
                        slug=f"lesson-{m}-{lesson_number}",
                        body=lesson_body(f"{m}.{lesson_number} сабақ"),
                        estimated_minutes=10,
                        is_required=(m, lesson_number) not in set(optional),
                    )
                )
        course.refresh_from_db()
        return course

    @staticmethod
    def lessons(course):
        """The course's lesson pages in tree order."""
        from courses.models import LessonPage

        return list(LessonPage.objects.descendant_of(course).order_by("path"))

    @staticmethod
    def translate(page, language: str, *, title_prefix: str | None = None, subtree: bool = True):
        """Translate a course page (and its modules and lessons) into ``language`` and publish;
        the catalogue and home page are translated first when they are not."""
        from wagtail.models import Locale

        locale = Locale.objects.get(language_code=language)
        title_prefix = f"{language.upper()} " if title_prefix is None else title_prefix
        course_catalogue(language)
        translated = page.copy_for_translation(locale)
        translated.title = f"{title_prefix}{page.title}"
        translated.save_revision().publish()
        if subtree:
            for child in page.get_children().specific().order_by("path"):
                CourseTree.translate(child, language, title_prefix=title_prefix)
        return translated.specific.__class__.objects.get(pk=translated.pk)
