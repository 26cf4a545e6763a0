"""core.prepared: compiled-once reads give what the queryset gives, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, FilteredRelation, Q
from django.test.utils import CaptureQueriesContext

from core.prepared import Prepared, insert, together
from courses.models import Course, Session
from people.models import Learner
from tests import factories as f

pytestmark = pytest.mark.django_db


def _learners(*, provider_id: int, names: list[str]):
    return Learner.objects.filter(provider_id=provider_id, last_name__in=names).order_by("pk")


LEARNER_ROWS = Prepared(
    lambda **kw: _learners(**kw).values_list("pk", "last_name", "date_of_birth"),
    ints=("provider_id",),
    str_lists=("names",),
)
LEARNERS = Prepared(_learners, ints=("provider_id",), str_lists=("names",))


def _sessions(*, course_id: int):
    return (
        Session.objects.filter(course_id=course_id)
        .select_related("course__location")
        .annotate(
            first_day=FilteredRelation("course__sessions", condition=Q(course__sessions__ue=99))
        )
        .annotate(n=Count("course__enrolments"))
        .order_by("date")
    )


SESSIONS = Prepared(_sessions, ints=("course_id",))


@pytest.fixture
def learners(world):
    provider = world.a.provider
    made = [
        f.LearnerFactory(provider=provider, last_name=name, date_of_birth=dt.date(1990, 1, i + 1))
        for i, name in enumerate(["Ahmadi", "Bondarenko", "Yilmaz"])
    ]
    f.LearnerFactory(provider=world.b.provider, last_name="Ahmadi")
    return provider, made


def test_rows_match_the_queryset_for_every_list_length(learners):
    provider, made = learners
    for names in (["Ahmadi"], ["Ahmadi", "Yilmaz"], ["Ahmadi", "Bondarenko", "Yilmaz"], ["Nobody"]):
        expected = list(
            _learners(provider_id=provider.pk, names=names).values_list(
                "pk", "last_name", "date_of_birth"
            )
        )
        assert LEARNER_ROWS(provider_id=provider.pk, names=names) == expected
    # the other provider's Ahmadi is not there: the scalar is a real parameter, not baked in
    other = LEARNER_ROWS(provider_id=made[0].provider_id + 10_000, names=["Ahmadi"])
    assert other == []


def test_an_empty_list_runs_no_query(learners, django_assert_num_queries):
    provider, _ = learners
    with django_assert_num_queries(0):
        assert LEARNER_ROWS(provider_id=provider.pk, names=[]) == []


def test_objects_are_the_instances_the_queryset_gives(world, django_assert_num_queries):
    course = world.a.course
    expected = list(_sessions(course_id=course.pk))
    assert expected, "the world's course has planned sessions"
    with django_assert_num_queries(1):
        got = SESSIONS.objects(course_id=course.pk)
    assert [s.pk for s in got] == [s.pk for s in expected]
    assert [s.date for s in got] == [s.date for s in expected]
    assert [s.n for s in got] == [s.n for s in expected]
    with django_assert_num_queries(0):  # select_related objects came with the row
        assert got[0].course.location.name == expected[0].course.location.name
    assert isinstance(got[0].course, Course)
    assert got[0]._state.adding is False and got[0]._state.db == "default"


def test_together_answers_each_read_and_counts_each_query(learners, django_assert_num_queries):
    provider, made = learners
    with django_assert_num_queries(2):
        rows, objects, empty = together(
            (LEARNER_ROWS, {"provider_id": provider.pk, "names": ["Yilmaz"]}),
            (LEARNERS, {"provider_id": provider.pk, "names": ["Ahmadi", "Bondarenko"]}),
            (LEARNERS, {"provider_id": provider.pk, "names": []}),
        )
    assert rows == [(made[2].pk, "Yilmaz", dt.date(1990, 1, 3))]
    assert objects == made[:2]
    assert empty == []


def test_postgresql_keeps_short_list_reads_prepared_and_plans_long_lists_for_their_array(
    learners, on_postgres
):
    from core.prepared import SMALL_LIST

    provider, _ = learners
    names = ["Ahmadi", "Yilmaz", "Bondarenko", "Nobody"] * 10
    for n in range(SMALL_LIST + 1, SMALL_LIST + 20):  # nineteen different long lengths
        rows = LEARNER_ROWS(provider_id=provider.pk, names=names[:n])
        assert sorted(r[1] for r in rows) == ["Ahmadi", "Bondarenko", "Yilmaz"]
    for n in range(1, SMALL_LIST + 1):  # short lists: one statement per power of two
        for _ in range(6):  # psycopg prepares a statement after five runs
            LEARNER_ROWS(provider_id=provider.pk, names=names[:n])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement LIKE %s, count(*), sum(generic_plans) "
            "FROM pg_prepared_statements WHERE statement LIKE %s GROUP BY 1 ORDER BY 1",
            ['%"people_learner"."last_name" = ANY(%', '%"people_learner"."last_name"%'],
        )
        kept = cursor.fetchall()
    # Short lists: kept prepared, planned once, lengths 1, 2, 3–4 and 5–8 (padded by repeating
    # an item). Long lists: never kept, so each is planned for the array it carries.
    assert len(kept) == 1
    long, short_statements, generic = kept[0]
    assert long is False
    assert short_statements == 4
    assert generic >= 4


def test_a_long_list_is_planned_for_its_values(learners, on_postgres):
    """The array reaches the planner as a value, not as a parameter of unknown length."""
    from core.prepared import SMALL_LIST, together

    provider, _ = learners
    names = ["Ahmadi", "Yilmaz", "Bondarenko", "Nobody"] * 3
    with CaptureQueriesContext(connection) as captured:
        rows = together((LEARNER_ROWS, {"provider_id": provider.pk, "names": names}))[0]
    assert len(names) > SMALL_LIST
    assert sorted(r[1] for r in rows) == ["Ahmadi", "Bondarenko", "Yilmaz"]
    (query,) = captured.captured_queries
    assert "= ANY('{" in query["sql"] and "Bondarenko" in query["sql"]


def test_a_long_list_with_quotes_and_braces_is_matched_literally(world):
    """A long list reaches PostgreSQL as a literal array: quoting must hold for any text."""
    provider = world.a.provider
    tricky = ["O'Brien", 'Say "hi"', "back\\slash", "{brace}", "a,b", "NULL", "", "Ünal", "x"]
    made = [f.LearnerFactory(provider=provider, last_name=name) for name in tricky]
    rows = LEARNER_ROWS(provider_id=provider.pk, names=[*tricky, "Nobody"])
    assert sorted(r[0] for r in rows) == sorted(m.pk for m in made)
    assert LEARNER_ROWS(provider_id=provider.pk, names=["x' OR '1'='1", *["Nobody"] * 9]) == []


def test_short_lists_keep_placeholders_so_the_kept_plan_expects_few_rows(learners, on_postgres):
    from core.prepared import SMALL_LIST, together

    provider, _ = learners
    statement = LEARNER_ROWS._statement(
        connection, {"provider_id": provider.pk, "names": ["Ahmadi"] * SMALL_LIST}
    )
    assert "ANY(" not in statement[0] and statement[0].count("%s") >= SMALL_LIST
    statement = LEARNER_ROWS._statement(
        connection, {"provider_id": provider.pk, "names": ["Ahmadi"] * (SMALL_LIST + 1)}
    )
    assert "= ANY(%s::text[])" in statement[0]
    assert together((LEARNER_ROWS, {"provider_id": provider.pk, "names": ["Ahmadi"]}))[0]


def test_insert_writes_the_row_save_would_write(world, django_assert_num_queries):
    from people.models import Location

    location = Location(organisation=world.a.provider, name="Haus am Markt", town="Elmshorn")
    with django_assert_num_queries(1):
        insert(location)
    assert location.pk is not None and location._state.adding is False
    stored = Location.objects.get(pk=location.pk)
    assert (stored.name, stored.town, stored.organisation_id) == (
        "Haus am Markt",
        "Elmshorn",
        world.a.provider.pk,
    )
    location.name = "Haus am Hafen"
    location.save()  # an ordinary instance afterwards: save() updates, no second row
    assert Location.objects.filter(organisation=world.a.provider, town="Elmshorn").count() == 1


def test_insert_keeps_save_signals_for_models_that_have_listeners(world):
    from auditlog.models import LogEntry

    learner = f.LearnerFactory.build(provider=world.a.provider, last_name="Haddad")
    before = LogEntry.objects.count()
    insert(learner)
    assert Learner.objects.filter(pk=learner.pk, last_name="Haddad").exists()
    assert LogEntry.objects.count() == before + 1  # the audit log saw the insert


def test_postgresql_connections_carry_the_planner_settings(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)


def test_a_statement_with_a_literal_percent_reads_the_same_on_every_run(learners):
    """On SQLite the ``?`` form of a compiled statement is remembered; a ``%%`` in it must come
    out as ``%`` on the first run and on the later ones."""
    from django.db.models.expressions import RawSQL

    _, made = learners
    query = Prepared(
        lambda **kw: (
            Learner.objects.filter(pk=kw["pk"])
            .annotate(share=RawSQL("'50%%'", []))
            .values_list("pk", "share")
        ),
        ints=("pk",),
    )
    for _ in range(3):
        assert query(pk=made[0].pk) == [(made[0].pk, "50%")]
