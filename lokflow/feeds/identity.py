"""What identifies lokflow's calendar data wherever it appears (feeds and the
.ics attached to reminder emails): the product id and the stable UIDs of
events, so a person who has both sees one entry, not two."""

from __future__ import annotations

from urllib.parse import quote

PRODID = "-//lokflow//LÖK action plans//SV"
UID_DOMAIN = "lokflow"


def uid(*parts: str) -> str:
    """A UID from stable ids ('/' never occurs in a plan slug or activity id)."""
    return "/".join(quote(part, safe="-_.") for part in parts) + "@" + UID_DOMAIN
