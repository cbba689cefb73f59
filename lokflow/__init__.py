"""lokflow: makes the action plans of a local agreement (LÖK) between a
Swedish municipality and civil society run — reminders, status reports,
escalation, calendar feeds and the annual follow-up."""

__version__ = "0.1.0"
