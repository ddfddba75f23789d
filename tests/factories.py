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


# The quiz engine: a bank with every kind of question, a quiz drawing from it, an enrolled learner


def bank_question(kind: str, *, topic, text: str | None = None, choices=(), **fields):
    """A question of ``kind`` with its choices: ``(text, is_correct)`` pairs, or for matching
    ``(text, match_text)`` pairs (steps of an ordering question come in their correct order)."""
    from quizzes.models import Question

    question = QuestionFactory(
        topic=topic, kind=kind, text=text or f"<p>{kind}: сұрақ?</p>", **fields
    )
    for order, (choice_text, extra) in enumerate(choices):
        if kind == Question.Kind.MATCHING:
            ChoiceFactory(question=question, text=choice_text, match_text=extra, sort_order=order)
        else:
            ChoiceFactory(
                question=question, text=choice_text, is_correct=bool(extra), sort_order=order
            )
    return question


def every_kind_of_question(topic) -> dict:
    """One question of each kind, in Kazakh, by kind."""
    from decimal import Decimal

    return {
        "single": bank_question(
            "single",
            topic=topic,
            text="<p>Дауыс беру қай сағатта басталады?</p>",
            choices=[("07:00", True), ("09:00", False), ("06:00", False)],
        ),
        "multiple": bank_question(
            "multiple",
            topic=topic,
            text="<p>Хаттамаға кім қол қояды?</p>",
            choices=[("Төраға", True), ("Хатшы", True), ("Бақылаушы", False)],
            partial_credit="proportional",
        ),
        "true_false": bank_question(
            "true_false",
            topic=topic,
            text="<p>Бюллетеньді үйге алып кетуге болады.</p>",
            choices=[("Дұрыс", False), ("Бұрыс", True)],
        ),
        "numeric": bank_question(
            "numeric",
            topic=topic,
            text="<p>Учаскеде қанша бюллетень алынды?</p>",
            numeric_answer=Decimal("1500"),
            numeric_tolerance=Decimal("0"),
        ),
        "short_text": bank_question(
            "short_text",
            topic=topic,
            text="<p>Нәтижелер қандай құжатқа жазылады?</p>",
            choices=[("хаттама", True), ("протокол", True)],
        ),
        "ordering": bank_question(
            "ordering",
            topic=topic,
            text="<p>Санау қадамдарын ретімен қойыңыз.</p>",
            choices=[("Жәшікті ашу", True), ("Санау", True), ("Хаттама толтыру", True)],
        ),
        "matching": bank_question(
            "matching",
            topic=topic,
            text="<p>Құжатты оған қол қоятын адаммен сәйкестендіріңіз.</p>",
            choices=[("Хаттама", "Комиссия мүшелері"), ("Акт", "Төраға"), ("Тізім", "Хатшы")],
        ),
    }


def enrolled_learner(course, **fields):
    """A learner with an assignment enrolment in ``course`` for an election event in training."""
    return EnrollmentFactory(course=course, **fields)


def correct_answers(attempt) -> dict:
    """The answers, in the browser's form, that score full marks on ``attempt`` (read from the
    bank: for tests only)."""
    from quizzes.demo.answers import full_marks_answers

    return full_marks_answers(attempt)


def wrong_answers(attempt) -> dict:
    """Answers that score nothing on ``attempt`` (for tests only)."""
    from quizzes.models import Choice, Question

    answers = {}
    for item in attempt.questions:
        question = Question.objects.filter(translation_key=item["key"]).order_by("pk").first()
        if question is None:
            continue
        choices = list(Choice.objects.filter(question=question).order_by("sort_order"))
        keys = [str(c.translation_key) for c in choices]
        kind = item["kind"]
        if kind in ("single", "true_false"):
            answers[item["key"]] = next(str(c.translation_key) for c in choices if not c.is_correct)
        elif kind == "multiple":
            answers[item["key"]] = [str(c.translation_key) for c in choices if not c.is_correct]
        elif kind == "numeric":
            answers[item["key"]] = str(question.numeric_answer + 7)
        elif kind == "short_text":
            answers[item["key"]] = "белгісіз"
        elif kind in ("ordering", "matching"):
            rotated = keys[1:] + keys[:1]
            if kind == "ordering":
                answers[item["key"]] = {key: rotated.index(key) + 1 for key in keys}
            else:
                answers[item["key"]] = {
                    key: str(item["targets"].index(other) + 1)
                    for key, other in zip(keys, rotated, strict=True)
                }
    return answers


def quiz_in_course(*, where: str = "course", count: int | None = None, **quiz_fields):
    """A live course (two modules of two lessons) with a quiz drawing from a topic holding one
    question of every kind, and a learner enrolled for an election event in training.

    ``where`` is "course" (the quiz sits in the course) or "module" (in its first module).
    Returns a namespace: course, module, quiz, topic, questions (by kind), enrollment, learner.
    """
    from types import SimpleNamespace

    from courses.models import ModulePage

    course = CourseTree.build(modules=2, lessons=2)
    module = ModulePage.objects.child_of(course).order_by("path").first()
    topic = TopicFactory(name="Дауыс санау")
    questions = every_kind_of_question(topic)
    quiz_fields.setdefault("shuffle_questions", False)
    quiz = QuizPageFactory.create(
        parent=course if where == "course" else module,
        rules=[{"topic": topic, "count": count or len(questions)}],
        **quiz_fields,
    )
    enrollment = EnrollmentFactory(course=course)
    return SimpleNamespace(
        course=course,
        module=module,
        quiz=quiz,
        topic=topic,
        questions=questions,
        enrollment=enrollment,
        learner=enrollment.user,
    )


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
