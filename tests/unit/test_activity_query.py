"""The coordinator table's query: parameters read the same way for the page,
the export, the CLI and the API; every filter and sort on plain lines."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lokflow.reporting.activity_lines import ActivityLine
from lokflow.reporting.activity_query import ActivityQuery
from lokflow.reporting.table_export import Table, as_csv

TODAY = date(2025, 3, 10)


def line(key: str, *, number: str | None = None, party: str = "municipality",
         status: str | None = None, due: date | None = None, overdue: date | None = None,
         owners: tuple[tuple[str, str], ...] = (("kultur", "Kulturförvaltningen"),),
         in_round: bool = False, answered: bool = False, pending: int = 0,
         escalation: int = 0, position: int = 0, text: str = "Gör något") -> ActivityLine:
    return ActivityLine(
        plan_id=1, id=position, key=key, number=number, text=text, party=party, principle=None,
        owners=owners, timeline="2025", status=status, progress=None,
        reported_at=datetime(2025, 1, 1, tzinfo=UTC) if status else None, next_due=due,
        overdue_since=overdue, overdue_count=int(overdue is not None), escalation=escalation,
        pending_dates=pending, in_round=in_round, answered=answered, position=position)


LINES = [
    line("k-1.10", number="1.10", due=date(2025, 3, 20), position=0, text="Bidragsguide"),
    line("k-1.9", number="1.9", status="done", overdue=date(2024, 12, 31), escalation=2,
         position=1),
    line("c-1.1", number="1.1", party="civil_society", due=date(2025, 9, 1),
         owners=(("foreningar", "Alla föreningar"),), in_round=True, position=2),
    line("j-1", party="joint", status="in_progress", overdue=date(2023, 10, 1), pending=1,
         in_round=True, answered=True, position=3),
]


@pytest.mark.parametrize(("params", "keys"), [
    ({}, ["k-1.10", "k-1.9", "c-1.1", "j-1"]),                       # the plan's order
    ({"overdue": "1"}, ["k-1.9", "j-1"]),
    ({"overdue": "1", "sort": "overdue"}, ["j-1", "k-1.9"]),         # overdue the longest first
    ({"round": "1"}, ["c-1.1"]),                                     # asked, not answered
    ({"pending": "1"}, ["j-1"]),
    ({"status": "none"}, ["k-1.10", "c-1.1"]),
    ({"status": "done"}, ["k-1.9"]),
    ({"party": "civil_society"}, ["c-1.1"]),
    ({"owner": "foreningar"}, ["c-1.1"]),
    ({"within": "30"}, ["k-1.10"]),
    ({"from": "2025-04-01", "to": "2025-12-31"}, ["c-1.1"]),
    ({"q": "BIDRAGS"}, ["k-1.10"]),
    ({"q": "föreningar 1.1"}, ["c-1.1"]),                            # every word, anywhere
    ({"sort": "number"}, ["k-1.9", "k-1.10", "c-1.1", "j-1"]),       # 1.9 before 1.10
    ({"sort": "due", "order": "desc"}, ["j-1", "k-1.9", "c-1.1", "k-1.10"]),
    ({"sort": "escalation"}, ["k-1.9", "j-1", "k-1.10", "c-1.1"]),   # highest level first
    ({"sort": "status"}, ["j-1", "k-1.9", "k-1.10", "c-1.1"]),       # none last
])
def test_filters_and_sorts(params: dict[str, str], keys: list[str]) -> None:
    query, problems = ActivityQuery.parse(params)
    assert problems == []
    assert [a.key for a in query.apply(LINES, TODAY)] == keys


@pytest.mark.parametrize(("params", "problems"), [
    ({"from": "2025-02-30"}, ["from"]),
    ({"from": "31/12"}, ["from"]),
    ({"to": "2025-01-01", "from": "2025-02-01"}, ["to"]),
    ({"within": "²"}, ["within"]),
    ({"within": "99999"}, ["within"]),
    ({"status": "klar"}, ["status"]),
    ({"sort": "drop table"}, ["sort"]),
    ({"owner": "x" * 65}, ["owner"]),
    ({"q": "a" * 101}, ["q"]),
    ({"q": "tab\tbed"}, ["q"]),
    ({"overdue": "yes"}, ["overdue"]),
])
def test_unusable_parameters_are_named_and_left_out(params: dict[str, str],
                                                    problems: list[str]) -> None:
    query, found = ActivityQuery.parse(params)
    assert found == problems
    assert len(query.apply(LINES, TODAY)) >= 1


def test_parameters_round_trip() -> None:
    params = {"q": "guide", "overdue": "1", "from": "2025-01-01", "sort": "due", "order": "desc"}
    query, _ = ActivityQuery.parse(params)
    assert query.params() == params
    assert query.params(sort="owner", descending=False) == {
        "q": "guide", "overdue": "1", "from": "2025-01-01", "sort": "owner"}
    assert ActivityQuery().params() == {}


def test_csv_keeps_formulas_as_text() -> None:
    data = as_csv(Table("t", ["a", "b"], [["=1+1", "-2"], ["@SUM(A1)", "ok"]]))
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["a;b", "'=1+1;'-2", "'@SUM(A1);ok"]
