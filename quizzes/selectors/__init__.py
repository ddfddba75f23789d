"""What the quiz pages and the trainers read.

- bank.py: a quiz's rules, the questions they may draw, the drawn questions' choice keys, the
  questions as grading needs them, and the draws that cannot be filled (``draw_shortfalls``);
- standing.py: a learner's standing in a quiz (``quiz_status``), their result by the grading
  method, the course requirement (``required_quizzes_passed``), when the review opens;
- display.py: an attempt's questions as shown (never with the answer key), the review after
  submitting, and remediation after a fail; texts.py: question and choice texts by language;
- pool.py: what attempts read of a quiz's rules and bank, kept in the cache per generation of
  the bank (``quiz_pool``, ``pool_rules``, ``pool_grading_bank``, ``pool_question_texts``);
- analysis.py: item analysis from the running sums (``item_analysis``);
- results.py: results by commission for an election event (``results_by_commission``).

Identity across languages: a quiz is its page's ``translation_key`` (``Attempt.quiz_key``), a
question and a choice are their ``translation_key``; texts are picked in the learner's language
where a translation exists, else in the canonical one (Kazakh, else the oldest). Every function
costs a fixed number of queries, whatever the number of questions.
"""

from .analysis import (
    FLAG_FACILITY_BELOW,
    FLAG_MIN_ATTEMPTS,
    ChoiceShare,
    ItemAnalysis,
    discrimination_index,
    facility_index,
    item_analysis,
)
from .bank import (
    GradingBank,
    RuleSet,
    choice_keys,
    draw_bank,
    draw_shortfalls,
    grading_bank,
    quiz_rules,
)
from .display import (
    Option,
    QuestionView,
    Remediation,
    RemediationLink,
    ReviewItem,
    ReviewOption,
    attempt_questions,
    attempt_review,
    remediation,
)
from .languages import current_language
from .pool import (
    Pool,
    bank_changed,
    bank_generation,
    pool_grading_bank,
    pool_question_texts,
    pool_rules,
    quiz_pool,
)
from .results import CommissionResults, QuizResults, ResultCounts, results_by_commission
from .standing import (
    DEADLINE_GRACE,
    QuizStatus,
    course_of,
    graded_result,
    is_expired,
    quiz_passed,
    quiz_status,
    required_quizzes_passed,
    review_is_open,
    review_opens_on,
)
from .texts import QuestionTexts, question_texts

__all__ = [
    "DEADLINE_GRACE",
    "FLAG_FACILITY_BELOW",
    "FLAG_MIN_ATTEMPTS",
    "ChoiceShare",
    "CommissionResults",
    "GradingBank",
    "ItemAnalysis",
    "Option",
    "Pool",
    "QuestionView",
    "QuestionTexts",
    "QuizResults",
    "QuizStatus",
    "Remediation",
    "RemediationLink",
    "ReviewItem",
    "ResultCounts",
    "ReviewOption",
    "RuleSet",
    "attempt_questions",
    "attempt_review",
    "bank_changed",
    "bank_generation",
    "choice_keys",
    "course_of",
    "current_language",
    "discrimination_index",
    "draw_bank",
    "draw_shortfalls",
    "facility_index",
    "graded_result",
    "grading_bank",
    "is_expired",
    "item_analysis",
    "pool_grading_bank",
    "pool_question_texts",
    "pool_rules",
    "quiz_pool",
    "quiz_passed",
    "question_texts",
    "quiz_rules",
    "quiz_status",
    "remediation",
    "required_quizzes_passed",
    "results_by_commission",
    "review_is_open",
    "review_opens_on",
]
