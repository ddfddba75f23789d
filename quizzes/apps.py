from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        # Courses may not import quizzes (STYLE.md), so quizzes adds itself to the courses
        # registries: a course is complete only when its required quizzes are passed too, and
        # the course outline lists the quizzes among the lessons with the learner's status.
        from courses.selectors.outline import outline_activities
        from courses.services import completion_requirements

        from .selectors import required_quizzes_passed
        from .selectors.outline import quiz_outline_entries

        completion_requirements.register(required_quizzes_passed)
        outline_activities.register(quiz_outline_entries)
