"""The public page's Atom feed (RFC 4287) of changes: new statuses, new
dates and published annual reports, in the reader's language. Written with
ElementTree, so every text is escaped; characters XML cannot carry are
dropped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

from lokflow.public.changes import Change
from lokflow.public.open_data import links, status_label
from lokflow.public.plan_view import PublicPlan
from lokflow.texts.pages import PAGE_TEXTS

ATOM = "http://www.w3.org/2005/Atom"
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> None:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        child.text = _text(text)


def _entry_words(view: PublicPlan, change: Change, language: str,
                 zone: ZoneInfo) -> tuple[str, str]:
    w = PAGE_TEXTS[language]
    day = change.at.astimezone(zone).date().isoformat()
    if change.kind == "report":
        return (w["pu_feed_report"].format(year=change.year),
                w["pu_feed_report_text"].format(year=change.year))
    label = view.label(change.activity_party or "", change.activity_number,
                       change.activity_key or "", language)
    text = change.activity_text or ""
    if change.kind == "date":
        new = change.new_date.isoformat() if change.new_date else ""
        return (w["pu_feed_date"].format(label=label, day=new),
                w["pu_feed_date_text"].format(label=label, text=text, day=new))
    status = status_label(change.status, language) or ""
    return (w["pu_feed_status"].format(label=label, status=status),
            w["pu_feed_status_text"].format(label=label, text=text, status=status, day=day))


def atom_feed(view: PublicPlan, found: list[Change], language: str, base_url: str,
              zone: ZoneInfo) -> bytes:
    where = links(base_url, view.slug)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang":
                                          language})
    _add(feed, "title", PAGE_TEXTS[language]["pu_feed_title"].format(plan=view.short_name))
    _add(feed, "id", where["atom"])
    _add(feed, "link", rel="self", type="application/atom+xml", href=where["atom"])
    _add(feed, "link", rel="alternate", type="text/html", href=where["page"])
    updated = max([view.updated, *(c.at for c in found)])
    _add(feed, "updated", _stamp(updated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", view.organisation)
    for change in found:
        title, summary = _entry_words(view, change, language, zone)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", f"{where['page']}#{change.kind}-{change.id}")
        _add(entry, "title", title)
        _add(entry, "updated", _stamp(change.at))
        target = (f"{where['page']}/arsrapport-{change.id}.pdf" if change.kind == "report"
                  else f"{where['page']}#a-{change.activity_key}")
        _add(entry, "link", rel="alternate", href=target)
        _add(entry, "summary", summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
