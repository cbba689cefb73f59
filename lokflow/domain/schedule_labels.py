"""What to call an occurrence when it is listed: a yearly item is not a
deadline, a recurring meeting is not a deadline, a window ends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lokflow.domain.occurrences import Occurrence

LABELS = {"deadline": "deadline", "window": "window ends", "yearly": "yearly",
          "rrule": "recurring meeting", "ongoing": "ongoing: initial deadline",
          "on_demand": "on demand"}


def occurrence_label(schedule: Mapping[str, Any], occurrence: Occurrence) -> str:
    """An English label (CLI) for one occurrence of a stored schedule."""
    if occurrence.kind == "checkin":
        return "check-in"
    return LABELS.get(str(schedule.get("kind")), occurrence.kind)
