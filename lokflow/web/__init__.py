"""The web app: status-report forms, coordinator pages, JSON API and feeds."""
