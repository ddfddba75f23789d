"""What learners read of courses: a course's canonical structure (structure.py), its outline in
the learner's language (outline.py), who may read it (access.py), and the catalogue and
"My training" (training.py)."""

from .access import (
    CourseAccess,
    anonymous_reading_allowed,
    completed_lessons,
    course_access,
)
from .outline import CourseOutline, Shown, course_outline, outline_labels
from .structure import (
    CourseStructure,
    course_structure,
    course_structures,
    current_language,
    default_language,
    language_name,
    lesson_placement,
    page_language,
    page_url,
)
from .training import CourseCard, MyTraining, catalogue_cards, deadline_for, my_training_overview

__all__ = [
    "CourseAccess",
    "CourseCard",
    "CourseOutline",
    "CourseStructure",
    "MyTraining",
    "Shown",
    "anonymous_reading_allowed",
    "catalogue_cards",
    "completed_lessons",
    "course_access",
    "course_outline",
    "course_structure",
    "course_structures",
    "current_language",
    "deadline_for",
    "default_language",
    "language_name",
    "lesson_placement",
    "my_training_overview",
    "outline_labels",
    "page_language",
    "page_url",
]
