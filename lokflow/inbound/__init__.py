"""Replies to lokflow's emails: read from a mailbox over IMAP, matched to the
email they answer by a signed token, and recorded as status reports."""
