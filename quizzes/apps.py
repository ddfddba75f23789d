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

        # What attempts read of the bank is cached per generation (selectors/pool.py); any
        # change to a question, choice, topic, rule or quiz page starts a new generation.
        from django.db.models.signals import post_delete, post_save

        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import Choice, Question, QuizPage, QuizRule, Topic
        from .selectors import bank_changed

        for model in (Question, Choice, Topic, QuizRule, QuizPage):
            post_save.connect(bank_changed, sender=model, dispatch_uid=f"bank-save-{model}")
            post_delete.connect(bank_changed, sender=model, dispatch_uid=f"bank-delete-{model}")
        page_published.connect(bank_changed, sender=QuizPage, dispatch_uid="bank-publish")
        page_unpublished.connect(bank_changed, sender=QuizPage, dispatch_uid="bank-unpublish")
        post_page_move.connect(bank_changed, dispatch_uid="bank-page-move")
