"""The MIME headers the sender writes itself (issue 12: `email.header` cost
most of a millisecond per non-ASCII subject): they must read back exactly as
the standard library's would, in words no longer than RFC 2047 allows."""

from __future__ import annotations

import email
from email.header import decode_header, make_header
from email.policy import default

import pytest

from lokflow.delivery.mime import Part, address_of, assemble, encoded_words, mailbox

SUBJECTS = [
    "Rapportera senast 15 december: 3 aktiviteter — LÖK Tierp",
    "Åäö" * 40,  # two-byte characters across many words
    "Påminnelse 🚲 om cykelvägar i Malmö, Göteborg och Östersund (och mer)",
    "ä",
]


def decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


@pytest.mark.parametrize("subject", SUBJECTS)
def test_encoded_words_read_back_as_the_subject(subject: str) -> None:
    encoded = encoded_words(subject)
    assert decoded(encoded) == subject
    assert all(len(word) <= 75 for word in encoded.split("\r\n "))
    assert encoded.isascii()


def test_an_assembled_email_reads_back_with_its_headers() -> None:
    data = assemble(sender="Tierps kommun <lok@tierp.example.org>",
                    recipient_name="Åsa Öberg", recipient="asa@tierp.example.org",
                    subject=SUBJECTS[0], date="Fri, 01 Dec 2023 06:30:00 +0000",
                    message_id="<lokflow.1.abc@tierp.example.org>", language="sv",
                    text="Hej!\n", html="<p>Hej!</p>\n",
                    attachments=[Part('text/calendar; charset="utf-8"', b"BEGIN:VCALENDAR",
                                      "deadlines.ics")])
    parsed = email.message_from_bytes(data, policy=default)
    assert parsed["Subject"] == SUBJECTS[0]
    assert parsed["To"].addresses[0].display_name == "Åsa Öberg"
    assert parsed["To"].addresses[0].addr_spec == "asa@tierp.example.org"
    assert parsed.get_body(("plain",)).get_content() == "Hej!\n"


def test_addresses_and_mailboxes() -> None:
    assert address_of("Tierps kommun <lok@tierp.example.org>") == "lok@tierp.example.org"
    assert address_of("lok@tierp.example.org") == "lok@tierp.example.org"
    assert mailbox("Kim", "kim@x.example.org") == "Kim <kim@x.example.org>"
    assert mailbox("Line\nbreak", "k@x.example.org") == "Line break <k@x.example.org>"
