"""The personal assessment link in an assessor's email: issued fresh when the
email is rendered (only its hash is stored), one per plan, party and year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.delivery.message_content import PlanSection
from lokflow.engine.assessment_requests import KINDS
from lokflow.reporting.assessment_access import issue_assessment_link
from lokflow.settings import Settings
from lokflow.store import tables as t


def add_assessment_links(session: Session, settings: Settings, now: datetime,
                         sections: list[PlanSection], email: str) -> None:
    """Give every assessment request or reminder in these sections its link."""
    issued: dict[tuple[str, str, int], str] = {}
    for section in sections:
        for item in section.items:
            if item.kind not in KINDS:
                continue
            party, year = str(item.detail.get("party")), int(item.detail.get("year", 0))
            key = (section.slug, party, year)
            if key not in issued:
                plan = session.scalars(select(t.Plan).where(t.Plan.slug == section.slug)).one()
                issued[key] = issue_assessment_link(session, settings, plan, email, party,
                                                    year, now)
            item.link = issued[key]
