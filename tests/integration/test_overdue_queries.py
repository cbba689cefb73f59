"""The overdue list reads each plan's document once, not once per activity:
a plan document is about 1 kB per activity and decoded wherever it is
selected, so selecting it with every activity row made a 1,000-activity
owner feed decode 1,000 copies (1.7 GB of memory, 14 s)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from lokflow.bootstrap import App
from lokflow.reporting.overdue import overdue_by_activity
from tests.conftest import PLANS
from tests.support.reporting import load

DOCUMENT = "plans.document"


@contextmanager
def statements(app: App) -> Iterator[list[str]]:
    found: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found.append(statement)

    event.listen(app.engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(app.engine, "before_cursor_execute", seen)


def test_each_plan_document_is_read_once_for_all_its_activities(app: App) -> None:
    load(app, *sorted(PLANS.glob("*.yaml")))
    with statements(app) as sql, app.sessions() as session:
        found = overdue_by_activity(session, date(2026, 11, 30), app.settings.tz)
    assert found  # the seed plans have overdue items on this day
    with_document = [s for s in sql if DOCUMENT in s]
    assert len(with_document) == 1
    assert "activities" not in with_document[0].split("FROM", 1)[1]  # not joined to the rows
