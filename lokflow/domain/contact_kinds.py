"""The roles a person can have in a plan: who hears about what depends on it."""

from __future__ import annotations

from enum import StrEnum


class ContactKind(StrEnum):
    CONTACT = "contact"  # a responsible unit's contact person: reminders, reports
    ESCALATION = "escalation"  # a unit's escalation contact: overdue items, level 2
    COORDINATOR = "coordinator"  # the plan's coordinator: rounds, failures, level 3
    STEERING = "steering"  # the steering group, where a plan names one
