from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from commissions.models import Commission
from commissions.services import commission_create, commission_move


def _error_text(excinfo) -> str:
    return " ".join(str(message) for message in excinfo.value.messages)


@pytest.mark.django_db
def test_root_commission_is_created_at_the_top():
    root = commission_create(parent=None, code="CEC", level="central", name_kk="ОСК")

    assert root.is_root()
    assert root.name_kk == "ОСК"


@pytest.mark.django_db
def test_root_commission_must_be_central():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        commission_create(parent=None, code="X1", level="oblast", name_kk="Облыс")

    assert "central commission" in _error_text(excinfo)
    assert not Commission.objects.exists()


def test_child_is_created_under_its_parent(tree):
    precinct = commission_create(
        parent=tree["district1"],
        code="P-777",
        level="precinct",
        name_kk="№777 учаскелік комиссия",
        name_ru="УИК №777",
    )

    assert precinct.get_parent().pk == tree["district1"].pk
    assert precinct.name_ru == "УИК №777"
    assert tree["oblast1"].contains(precinct)


@pytest.mark.parametrize("level", ["central", "oblast", "district"])
def test_child_must_rank_below_its_parent(tree, level):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        commission_create(parent=tree["district1"], code="BAD", level=level, name_kk="x")

    assert "must rank below its parent" in _error_text(excinfo)
    with translation.override("en"):
        assert f"level “{Commission.Level(level).label}”" in _error_text(excinfo)
    assert tree["district1"].code in _error_text(excinfo)
    assert not Commission.objects.filter(code="BAD").exists()


def test_commission_code_must_be_unique(tree):
    taken = tree["precinct11"].code

    with pytest.raises(ValidationError) as excinfo:
        commission_create(parent=tree["district2"], code=taken, level="precinct", name_kk="x")

    assert taken in _error_text(excinfo)
    assert Commission.objects.filter(code=taken).count() == 1


def test_unknown_level_is_refused(tree):
    with pytest.raises(ValidationError):
        commission_create(parent=tree["central"], code="Z", level="galaxy", name_kk="x")


def test_move_carries_the_whole_branch(tree):
    district = tree["district1"]

    moved = commission_move(commission=district, new_parent=tree["oblast2"])

    assert moved.get_parent().pk == tree["oblast2"].pk
    oblast2 = Commission.objects.get(pk=tree["oblast2"].pk)
    branch_codes = set(Commission.objects.branch_of(oblast2).values_list("code", flat=True))
    assert {tree["precinct11"].code, tree["precinct12"].code} <= branch_codes
    oblast1 = Commission.objects.get(pk=tree["oblast1"].pk)
    assert oblast1.get_children_count() == 0
    assert all(not problems for problems in Commission.find_problems())


def test_move_under_own_descendant_is_a_cycle_and_changes_nothing(tree):
    oblast = tree["oblast1"]
    paths_before = dict(Commission.objects.values_list("code", "path"))

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        commission_move(commission=oblast, new_parent=tree["precinct11"])

    assert "cannot be moved under one of the commissions below it" in _error_text(excinfo)
    assert excinfo.value.error_dict["parent"][0].code == "cycle"
    assert dict(Commission.objects.values_list("code", "path")) == paths_before


def test_move_onto_itself_is_refused(tree):
    with pytest.raises(ValidationError) as excinfo:
        commission_move(commission=tree["district2"], new_parent=tree["district2"])

    assert excinfo.value.error_dict["parent"][0].code == "cycle"


def test_move_must_keep_levels_in_order(tree):
    paths_before = dict(Commission.objects.values_list("code", "path"))

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        commission_move(commission=tree["district1"], new_parent=tree["precinct21"])

    assert (
        f"A commission of level “District commission” cannot be placed under "
        f"{tree['precinct21'].code} (level “Precinct commission”)"
    ) in _error_text(excinfo)
    assert "must rank below its parent" in _error_text(excinfo)
    assert dict(Commission.objects.values_list("code", "path")) == paths_before


def test_move_to_the_top_only_for_central(tree):
    with pytest.raises(ValidationError):
        commission_move(commission=tree["oblast1"], new_parent=None)


def test_move_to_the_same_parent_changes_nothing(tree):
    before = tree["precinct11"].path

    moved = commission_move(commission=tree["precinct11"], new_parent=tree["district1"])

    assert moved.path == before


def test_precinct_moves_between_districts(tree):
    precinct = tree["precinct11"]

    moved = commission_move(commission=precinct, new_parent=tree["district2"])

    district2 = Commission.objects.get(pk=tree["district2"].pk)
    assert moved.get_parent().pk == district2.pk
    assert district2.get_children_count() == 3
