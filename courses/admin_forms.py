"""Admin forms for course assignments."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.models import WagtailAdminModelForm

from .models import Assignment


class AssignmentForm(WagtailAdminModelForm):
    """One assignment per event and course: a second one is refused next to the course, also when
    it names the same course in another language (enrolment follows the course's
    ``translation_key``, whichever language's page was chosen)."""

    def clean(self):
        cleaned_data = super().clean()
        event, course = cleaned_data.get("event"), cleaned_data.get("course")
        if event and course:
            others = Assignment.objects.filter(
                event=event, course__translation_key=course.translation_key
            )
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "course",
                    ValidationError(
                        _(
                            "“%(course)s” is already assigned for %(event)s. Edit that "
                            "assignment to change its positions or levels."
                        ),
                        code="duplicate_assignment",
                        params={"course": course.title, "event": event},
                    ),
                )
        return cleaned_data
