"""The readiness dashboard: who may open which branch, drill-down, filters, and its cost."""

import logging
import re

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from commissions.roles import CENTRAL_ADMINISTRATORS
from tests.factories import CommissionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(commission, event, language="en"):
    prefix = f"/{language}" if language != "kk" else ""
    return f"{prefix}/reports/{commission.code}/{event.pk}/"


def refused(client, path, caplog):
    with caplog.at_level(logging.WARNING, logger="saylau.access"):
        response = client.get(path)
    assert response.status_code == 403
    assert "Not in your branch" in response.content.decode()
    assert any("refused" in record.message and path in record.message for record in caplog.records)
    return response


def cell(html: str, table_id: str, row_text: str) -> list[str]:
    """The numbers of the row of table ``table_id`` whose header holds ``row_text``."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        if row_text in row:
            return [
                re.sub(r"\s+", " ", re.sub(r"<.*?>", "", c)).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            ]
    raise AssertionError(f"no row {row_text!r} in {table_id}")


def test_the_district_manager_sees_the_numbers_of_each_precinct(client, picture, tree):
    client.force_login(picture.district_manager)

    response = client.get(url(tree["district1"], picture.event))

    html = response.content.decode()
    assert response.status_code == 200
    assert cell(html, "children", tree["precinct11"].name_en) == [
        "4",
        "3 (75%)",
        "1 (25%)",
        "1 (25%)",
        "1 (25%)",
        "0 (0%)",
    ]
    assert cell(html, "children", tree["precinct12"].name_en) == [
        "2",
        "2 (100%)",
        "2 (100%)",
        "1 (50%)",
        "1 (50%)",
        "0 (0%)",
    ]
    assert cell(html, "positions", "Chair") == [
        "2",
        "2 (100%)",
        "1 (50%)",
        "1 (50%)",
        "1 (50%)",
        "0 (0%)",
    ]
    assert 'data-status="completed">3 (50%)' in html


def test_each_child_commission_links_to_its_own_dashboard(client, picture, tree):
    client.force_login(picture.district_manager)

    html = client.get(url(tree["district1"], picture.event)).content.decode()

    for precinct in ("precinct11", "precinct12"):
        assert f'href="{url(tree[precinct], picture.event)}"' in html
    drilled = client.get(url(tree["precinct11"], picture.event))
    assert drilled.status_code == 200
    # The breadcrumb goes back up to the manager's own level, not above it.
    drilled_html = drilled.content.decode()
    assert f'href="{url(tree["district1"], picture.event)}"' in drilled_html
    assert url(tree["oblast1"], picture.event) not in drilled_html
    assert 'id="children"' not in drilled_html  # a precinct is the bottom


def test_the_charts_are_inline_svg_with_a_text_alternative(client, picture, tree):
    client.force_login(picture.district_manager)

    html = client.get(url(tree["district1"], picture.event)).content.decode()

    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
        assert "<title id=" in svg and "<desc id=" in svg
    assert "Completed: 3 / 6 (50%)" in svgs[0]
    assert "<script" not in html.split("<main", 1)[1]


def test_the_not_trained_list_shows_contact_and_progress(client, picture, tree):
    client.force_login(picture.district_manager)

    html = client.get(url(tree["district1"], picture.event) + "?sort=-progress").content.decode()

    table = re.search(r'<table id="not-trained">(.*?)</table>', html, re.S).group(1)
    chair = picture.people["chair11"]
    assert chair.full_name in table and chair.email in table and "65%" in table
    assert picture.people["finished"].full_name not in table
    assert picture.people["trying"].full_name not in table  # another branch
    assert 'aria-sort="descending"' in table


def test_an_invalid_filter_value_is_a_form_error_not_a_server_error(client, picture, tree):
    client.force_login(picture.district_manager)

    for query in ("?position=emperor", f"?commission={tree['precinct21'].code}", "?sort=pk"):
        response = client.get(url(tree["district1"], picture.event) + query)
        html = response.content.decode()
        assert response.status_code == 200, query
        assert "Select a valid choice" in html, query
        assert 'id="not-trained"' not in html, query


def test_filters_narrow_the_list_to_a_precinct_and_a_position(client, picture, tree):
    client.force_login(picture.district_manager)

    response = client.get(
        url(tree["district1"], picture.event) + f"?commission={tree['precinct11'].code}"
        "&position=member"
    )

    table = re.search(r'<table id="not-trained">(.*?)</table>', response.content.decode(), re.S)
    names = table.group(1)
    assert picture.people["fresh"].full_name in names
    assert picture.people["chair11"].full_name not in names


def test_the_district_manager_cannot_open_another_branch_by_editing_the_url(
    client, picture, tree, caplog
):
    client.force_login(picture.district_manager)

    for commission in ("district2", "precinct21", "oblast1", "central"):
        refused(client, url(tree[commission], picture.event), caplog)


def test_the_precinct_manager_sees_only_their_precinct(client, picture, tree, caplog):
    client.force_login(picture.precinct_manager)

    assert client.get(url(tree["precinct12"], picture.event)).status_code == 200
    for commission in ("precinct11", "district1", "central"):
        refused(client, url(tree[commission], picture.event), caplog)


def test_a_plain_member_is_refused_every_branch(client, picture, tree, caplog):
    client.force_login(picture.people["finished"])

    refused(client, url(tree["precinct11"], picture.event), caplog)
    index = client.get("/en/reports/").content.decode()
    assert "You do not manage any commission" in index


def test_an_anonymous_visitor_is_sent_to_sign_in(client, picture, tree):
    for path in ("/en/reports/", url(tree["precinct11"], picture.event)):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


def test_an_unknown_commission_or_event_is_404(client, picture, tree):
    client.force_login(picture.district_manager)

    assert client.get(f"/en/reports/NO-SUCH/{picture.event.pk}/").status_code == 404
    assert client.get(f"/en/reports/{tree['district1'].code}/999999/").status_code == 404


def test_an_unknown_event_outside_the_branch_is_refused_not_revealed(client, picture, tree, caplog):
    client.force_login(picture.district_manager)

    refused(client, f"/en/reports/{tree['district2'].code}/999999/", caplog)


def test_a_central_administrator_sees_the_whole_tree(client, picture, tree):
    admin = UserFactory()
    admin.groups.add(Group.objects.get(name=CENTRAL_ADMINISTRATORS))
    client.force_login(admin)

    index = client.get("/en/reports/").content.decode()
    assert f'href="{url(tree["central"], picture.event)}"' in index
    html = client.get(url(tree["central"], picture.event)).content.decode()
    assert 'data-status="assigned">8<' in html


def test_the_index_lists_the_managers_branch_for_each_event(client, picture, tree):
    client.force_login(picture.district_manager)

    html = client.get("/en/reports/").content.decode()

    assert f'href="{url(tree["district1"], picture.event)}"' in html
    assert f'href="{url(tree["district1"], picture.other_event)}"' in html
    assert tree["district2"].code not in html


def test_the_branch_page_links_to_the_reports(client, picture):
    client.force_login(picture.district_manager)

    assert 'href="/en/reports/"' in client.get("/en/commissions/").content.decode()


def test_a_branch_with_no_members_renders_an_empty_report(client, picture, tree):
    client.force_login(picture.district_manager)

    response = client.get(url(tree["district1"], picture.other_event))

    html = response.content.decode()
    assert response.status_code == 200
    assert "No member of this branch is assigned a course for this event." in html
    assert "Nobody here is still to be trained." in html
    assert cell(html, "children", tree["precinct11"].name_en)[0] == "0"


def test_the_dashboard_is_in_kazakh_at_the_unprefixed_address(client, picture, tree):
    client.force_login(picture.district_manager)

    response = client.get(url(tree["district1"], picture.event, language="kk"))

    assert response.status_code == 200
    assert tree["precinct11"].name_kk in response.content.decode()


def test_the_page_costs_the_same_queries_for_a_small_and_a_bigger_branch(client, picture, tree):
    client.force_login(picture.district_manager)
    path = url(tree["district1"], picture.event)
    client.get(path)  # the session and the site are read once

    with CaptureQueriesContext(connection) as small:
        client.get(path)
    for _ in range(6):
        precinct = CommissionFactory.child(tree["district1"], "precinct")
        for _ in range(8):
            MembershipFactory(commission=precinct)
    with CaptureQueriesContext(connection) as big:
        response = client.get(path)

    assert response.content.decode().count("<tr>") > 20
    assert len(big.captured_queries) == len(small.captured_queries) <= 15
