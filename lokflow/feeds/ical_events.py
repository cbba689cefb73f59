"""What every iCalendar document lokflow writes shares (feeds and the .ics
attached to reminder emails)."""

PRODID = "-//lokflow//LÖK action plans//SV"
