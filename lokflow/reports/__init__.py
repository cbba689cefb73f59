"""The annual follow-up report in HTML, PDF, Markdown and XLSX."""
