from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        # A course is complete only when its required quizzes are passed too. Courses may not
        # import quizzes (STYLE.md), so quizzes adds this requirement to the courses registry.
        from courses.services import completion_requirements

        from .selectors import required_quizzes_passed

        completion_requirements.register(required_quizzes_passed)
