"""What a simulation replays: the plans as they are loaded in the database."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.plan_files import PlanFile
from lokflow.store import tables as t


def loaded_plan_files(session: Session) -> list[PlanFile]:
    """Every active plan's stored document, as if it had been read from its file."""
    plans = session.scalars(select(t.Plan).where(t.Plan.archived.is_(False)).order_by(t.Plan.slug))
    return [
        PlanFile(path=Path(p.source_path), document=PlanDocument.model_validate(p.document),
                 text=json.dumps(p.document, sort_keys=True))
        for p in plans
    ]
