"""Fixtures for the courses tests: a small course in the Kazakh catalogue and a seated member."""

import pytest

from commissions.models import Position
from tests.factories import CourseTree, EnrollmentFactory, MembershipFactory, UserFactory


@pytest.fixture
def english_interface(settings):
    """The interface in its English source text, whatever translations exist yet: these tests
    check behaviour and read the source strings (the URL's language still picks the content)."""
    settings.LOCALE_PATHS = []


@pytest.fixture
def course(db):
    """A live course: 2 modules of 2 lessons, all required."""
    return CourseTree.build(modules=2, lessons=2)


@pytest.fixture
def lessons(course):
    return CourseTree.lessons(course)


@pytest.fixture
def member(tree):
    """A member of a precinct commission."""
    user = UserFactory(username="member")
    MembershipFactory(user=user, commission=tree["precinct11"], position=Position.MEMBER)
    return user


@pytest.fixture
def enrollment(member, course):
    return EnrollmentFactory(user=member, course=course)


@pytest.fixture
def learner_client(client, member):
    client.force_login(member)
    return client
