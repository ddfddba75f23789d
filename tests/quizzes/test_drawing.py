"""Drawing questions from the bank: fixed questions, random draws by topic and position, sections,
shuffles, reproducible from the attempt's seed (quizzes/drawing.py, pure)."""

from collections import Counter

from quizzes.drawing import (
    BankQuestion,
    Rule,
    arrange_choices,
    draw_attempt,
    draw_questions,
    new_seed,
    shortfalls,
)


def bank_of(**topics) -> dict[str, BankQuestion]:
    """``counting=10`` → ten questions ``counting-0`` … of topic "counting", for everyone."""
    bank = {}
    for topic, count in topics.items():
        for n in range(count):
            key = f"{topic}-{n}"
            bank[key] = BankQuestion(key=key, kind="single", topic_key=topic)
    return bank


def keys(drawn) -> list[str]:
    return [question.key for question in drawn]


def test_the_same_seed_draws_the_same_questions_in_the_same_order():
    bank = bank_of(counting=30, opening=30)
    rules = [Rule(topic_key="counting", count=5), Rule(topic_key="opening", count=5)]
    seed = new_seed()
    first = draw_questions(rules=rules, bank=bank, seed=seed, shuffle_questions=True)
    again = draw_questions(
        rules=rules, bank=dict(reversed(bank.items())), seed=seed, shuffle_questions=True
    )
    assert keys(first) == keys(again)
    assert len(first) == 10


def test_the_whole_stored_draw_including_choice_orders_is_reproducible():
    bank = bank_of(counting=20)
    choices = {key: [f"{key}/c{n}" for n in range(4)] for key in bank}
    rules = [Rule(topic_key="counting", count=6)]
    seed = 4242
    stored = draw_attempt(
        rules=rules,
        bank=bank,
        choices=choices,
        seed=seed,
        shuffle_questions=True,
        shuffle_choices=True,
    )
    assert stored == draw_attempt(
        rules=rules,
        bank=bank,
        choices=choices,
        seed=seed,
        shuffle_questions=True,
        shuffle_choices=True,
    )
    assert {item["key"] for item in stored} <= set(bank)
    for item in stored:
        assert sorted(item["choices"]) == sorted(choices[item["key"]])


def test_different_seeds_draw_differently():
    bank = bank_of(counting=40)
    rules = [Rule(topic_key="counting", count=10)]
    draws = {
        tuple(keys(draw_questions(rules=rules, bank=bank, seed=seed, shuffle_questions=True)))
        for seed in range(20)
    }
    assert len(draws) > 15


def test_no_question_is_drawn_twice_even_when_it_is_also_a_fixed_question():
    bank = bank_of(counting=6)
    rules = [
        Rule(question_key="counting-0"),
        Rule(topic_key="counting", count=3),
        Rule(topic_key="counting", count=3),
    ]
    for seed in range(50):
        drawn = keys(draw_questions(rules=rules, bank=bank, seed=seed, shuffle_questions=True))
        assert len(drawn) == len(set(drawn)) == 6
        assert "counting-0" in drawn


def test_a_draw_asking_for_more_than_exists_takes_what_exists_and_is_reported():
    bank = bank_of(counting=3, opening=10)
    rules = [Rule(topic_key="counting", count=5), Rule(topic_key="opening", count=2)]
    drawn = keys(draw_questions(rules=rules, bank=bank, seed=1, shuffle_questions=False))
    assert len(drawn) == 5
    assert sum(key.startswith("counting") for key in drawn) == 3
    [short] = shortfalls(rules=rules, bank=bank)
    assert (short.rule_index, short.topic_key, short.wanted, short.available) == (
        0,
        "counting",
        5,
        3,
    )


def test_a_missing_fixed_question_is_a_shortfall_and_is_skipped():
    bank = bank_of(counting=2)
    rules = [Rule(question_key="gone"), Rule(topic_key="counting", count=2)]
    assert keys(draw_questions(rules=rules, bank=bank, seed=1, shuffle_questions=False)) == [
        "counting-0",
        "counting-1",
    ]
    [short] = shortfalls(rules=rules, bank=bank)
    assert (short.question_key, short.wanted, short.available) == ("gone", 1, 0)


def test_position_draws_take_questions_for_that_position_or_for_everyone():
    bank = {
        "chair-1": BankQuestion("chair-1", "single", "counting", ("chair",)),
        "chair-2": BankQuestion("chair-2", "single", "counting", ("chair", "secretary")),
        "member-1": BankQuestion("member-1", "single", "counting", ("member",)),
        "all-1": BankQuestion("all-1", "single", "counting", ()),
    }
    rules = [Rule(topic_key="counting", position="chair", count=10)]
    drawn = set(keys(draw_questions(rules=rules, bank=bank, seed=3, shuffle_questions=True)))
    assert drawn == {"chair-1", "chair-2", "all-1"}
    unpositioned = [Rule(topic_key="counting", count=10)]
    assert len(draw_questions(rules=unpositioned, bank=bank, seed=3, shuffle_questions=True)) == 4


def test_sections_keep_their_order_and_questions_shuffle_only_within_them():
    bank = bank_of(opening=10, counting=10, protocol=10)
    rules = [
        Rule(section="Ашу", topic_key="opening", count=4),
        Rule(section="Санау", topic_key="counting", count=4),
        Rule(section="Ашу", question_key="protocol-0"),
    ]
    for seed in range(20):
        drawn = draw_questions(rules=rules, bank=bank, seed=seed, shuffle_questions=True)
        sections = [question.section for question in drawn]
        assert sections == ["Ашу"] * 5 + ["Санау"] * 4
        assert "protocol-0" in keys(drawn[:5])


def test_without_shuffling_questions_come_in_rule_order():
    bank = bank_of(counting=5)
    rules = [Rule(question_key="counting-3"), Rule(question_key="counting-1")]
    drawn = draw_questions(rules=rules, bank=bank, seed=9, shuffle_questions=False)
    assert keys(drawn) == ["counting-3", "counting-1"]


def test_choices_shuffle_only_when_asked_but_ordering_steps_always_shuffle():
    choices = ["c1", "c2", "c3", "c4"]
    kept, _ = arrange_choices(
        key="q", kind="single", choice_keys=choices, seed=1, shuffle_choices=False
    )
    assert list(kept) == choices
    orders = {
        arrange_choices(key="q", kind="single", choice_keys=choices, seed=s, shuffle_choices=True)[
            0
        ]
        for s in range(30)
    }
    assert len(orders) > 5
    for seed in range(200):
        steps, _ = arrange_choices(
            key="q", kind="ordering", choice_keys=choices, seed=seed, shuffle_choices=False
        )
        assert list(steps) != choices, "steps shown in the correct order would give it away"
        assert sorted(steps) == choices


def test_matching_right_hand_items_are_never_level_with_their_left_items():
    pairs = ["p1", "p2", "p3"]
    for seed in range(200):
        left, right = arrange_choices(
            key="q", kind="matching", choice_keys=pairs, seed=seed, shuffle_choices=False
        )
        assert list(left) == pairs
        assert list(right) != list(left)
        assert sorted(right) == pairs


def test_draws_are_spread_over_the_pool():
    bank = bank_of(counting=10)
    rules = [Rule(topic_key="counting", count=1)]
    seen = Counter(
        keys(draw_questions(rules=rules, bank=bank, seed=seed, shuffle_questions=False))[0]
        for seed in range(500)
    )
    assert len(seen) == 10
