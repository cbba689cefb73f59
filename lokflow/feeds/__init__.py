"""iCalendar feeds of activities per plan, owner, person and organisation."""
