"""Drawing an attempt's questions from a quiz's rules: pure and reproducible from a seed.

A quiz is a list of rules, each either one fixed question or "N questions from topic T, for
position P" (P matches a question tagged with P, or a question tagged with no position). The
draw is a function of the rules, the bank (question and choice keys, never texts) and the
attempt's seed: drawing again from the same seed and the same bank gives the same questions in
the same order with the same choice orders. The attempt stores the result as well
(``Attempt.questions``), so an edit to the bank after the draw changes nothing for it.

Rules:

- fixed questions are taken first, so a draw never repeats one of them; no question appears
  twice in one attempt;
- sections keep the order in which the rules first name them; with ``shuffle_questions`` the
  questions are shuffled within each section, never across sections;
- a draw asking for more questions than its pool holds takes what there is (``shortfalls``
  reports it to the trainer);
- steps of an ordering question are always shown shuffled (their editors' order is the answer),
  and the right-hand items of a matching question are always shuffled against the left ones;
  other choices are shuffled when the quiz says so.
"""

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .grading import MATCHING, ORDERING, Shown


@dataclass(frozen=True)
class Rule:
    """A quiz rule as plain data: a fixed question's key, or a topic's key with a count."""

    section: str = ""
    question_key: str | None = None
    topic_key: str | None = None
    position: str = ""
    count: int = 1


@dataclass(frozen=True)
class BankQuestion:
    """What the draw needs of a question of the bank."""

    key: str
    kind: str
    topic_key: str
    positions: tuple[str, ...] = ()

    def suits(self, position: str) -> bool:
        return not position or not self.positions or position in self.positions


@dataclass(frozen=True)
class Drawn:
    """A drawn question before its choices are arranged: its key and its section."""

    key: str
    kind: str
    section: str


@dataclass(frozen=True)
class Shortfall:
    """A rule that cannot draw as many questions as it asks for."""

    rule_index: int
    section: str
    topic_key: str | None
    question_key: str | None
    position: str
    wanted: int
    available: int


def new_seed() -> int:
    """A fresh seed that fits a signed 64-bit column."""
    return secrets.randbits(62)


def _pool(rule: Rule, bank: Iterable[BankQuestion], taken: set[str]) -> list[str]:
    return sorted(
        question.key
        for question in bank
        if question.topic_key == rule.topic_key
        and question.suits(rule.position)
        and question.key not in taken
    )


def draw_questions(
    *,
    rules: Sequence[Rule],
    bank: Mapping[str, BankQuestion],
    seed: int,
    shuffle_questions: bool,
) -> list[Drawn]:
    """The questions of one attempt, in the order shown, grouped by section."""
    rng = random.Random(seed)
    taken: set[str] = set()
    picked: dict[int, list[str]] = {}
    for index, rule in enumerate(rules):
        key = rule.question_key
        if key is not None and key in bank and key not in taken:
            picked[index] = [key]
            taken.add(key)
    questions = sorted(bank.values(), key=lambda question: question.key)
    for index, rule in enumerate(rules):
        if rule.question_key is None and rule.topic_key is not None and rule.count > 0:
            pool = _pool(rule, questions, taken)
            chosen = rng.sample(pool, min(rule.count, len(pool)))
            picked[index] = chosen
            taken.update(chosen)

    sections: dict[str, list[Drawn]] = {}
    for index, rule in enumerate(rules):
        section = sections.setdefault(rule.section, [])
        section.extend(
            Drawn(key=key, kind=bank[key].kind, section=rule.section)
            for key in picked.get(index, [])
        )
    drawn = []
    for section in sections.values():
        if shuffle_questions:
            rng.shuffle(section)
        drawn.extend(section)
    return drawn


def _shuffled(keys: Sequence[str], rng: random.Random, *, avoid: Sequence[str] = ()) -> list[str]:
    """``keys`` shuffled; never left equal to ``avoid`` when there are two or more (a step list
    shown in its correct order, or matches shown level with their items, would give them away)."""
    arranged = list(keys)
    rng.shuffle(arranged)
    if len(arranged) > 1 and arranged == list(avoid):
        arranged = arranged[1:] + arranged[:1]
    return arranged


def arrange_choices(
    *, key: str, kind: str, choice_keys: Sequence[str], seed: int, shuffle_choices: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The order of a drawn question's choices (and, for matching, of the right-hand items).

    ``choice_keys`` come in the editors' order. Each question has its own random stream, derived
    from the attempt's seed and its key, so its arrangement does not depend on the others.
    """
    rng = random.Random(f"{seed}:{key}")
    correct_order = list(choice_keys)
    if kind == ORDERING:
        return tuple(_shuffled(correct_order, rng, avoid=correct_order)), ()
    choices = _shuffled(correct_order, rng) if shuffle_choices else correct_order
    if kind == MATCHING:
        return tuple(choices), tuple(_shuffled(correct_order, rng, avoid=choices))
    return tuple(choices), ()


def arrange_attempt(
    *,
    drawn: Sequence[Drawn],
    choices: Mapping[str, Sequence[str]],
    seed: int,
    shuffle_choices: bool,
) -> list[dict]:
    """The drawn questions with their choice orders, in the form ``Attempt.questions`` stores::

        [{"key": "<question key>", "kind": "single", "section": "Counting",
          "choices": ["<choice key>", …], "targets": ["<choice key>", …]}, …]

    ``choices`` maps each drawn question's key to its choice keys in the editors' order.
    """
    stored = []
    for question in drawn:
        arranged, targets = arrange_choices(
            key=question.key,
            kind=question.kind,
            choice_keys=choices.get(question.key, ()),
            seed=seed,
            shuffle_choices=shuffle_choices,
        )
        stored.append(
            {
                "key": question.key,
                "kind": question.kind,
                "section": question.section,
                "choices": list(arranged),
                "targets": list(targets),
            }
        )
    return stored


def draw_attempt(
    *,
    rules: Sequence[Rule],
    bank: Mapping[str, BankQuestion],
    choices: Mapping[str, Sequence[str]],
    seed: int,
    shuffle_questions: bool,
    shuffle_choices: bool,
) -> list[dict]:
    """The whole draw from a seed: ``draw_questions`` then ``arrange_attempt``."""
    drawn = draw_questions(rules=rules, bank=bank, seed=seed, shuffle_questions=shuffle_questions)
    return arrange_attempt(drawn=drawn, choices=choices, seed=seed, shuffle_choices=shuffle_choices)


def shown_questions(stored: Sequence[Mapping]) -> list[Shown]:
    """The stored draw as grading reads it."""
    return [
        Shown(
            key=item["key"],
            kind=item["kind"],
            choices=tuple(item.get("choices", ())),
            targets=tuple(item.get("targets", ())),
        )
        for item in stored
    ]


def shortfalls(*, rules: Sequence[Rule], bank: Mapping[str, BankQuestion]) -> list[Shortfall]:
    """The rules that cannot draw as many questions as they ask for, with what is available.

    Computed as the draw takes them (fixed questions first, then each draw in order), so a pool
    shared by two rules is counted once. A fixed question missing from the bank, or named twice,
    is a shortfall of one.
    """
    found = []
    taken: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.question_key is None:
            continue
        if rule.question_key in bank and rule.question_key not in taken:
            taken.add(rule.question_key)
        else:
            found.append(Shortfall(index, rule.section, None, rule.question_key, "", 1, 0))
    questions = sorted(bank.values(), key=lambda question: question.key)
    for index, rule in enumerate(rules):
        if rule.question_key is not None or rule.topic_key is None:
            continue
        pool = _pool(rule, questions, taken)
        available = min(rule.count, len(pool))
        taken.update(pool[:available])
        if available < rule.count:
            found.append(
                Shortfall(
                    index, rule.section, rule.topic_key, None, rule.position, rule.count, len(pool)
                )
            )
    return found
