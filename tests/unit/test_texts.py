"""The text catalogue: every word in both languages, with the same
placeholders, and no user-visible Swedish outside `lokflow/texts`."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from lokflow.texts import (
    annual_report,
    email,
    feeds,
    inferred,
    meetings,
    pages,
    renegotiation,
    report_rules,
    vocabulary,
)
from lokflow.texts.dates import MONTHS, long_date

PACKAGE = Path(__file__).resolve().parents[2] / "lokflow"
CATALOGUES = {
    "email": email.TEXTS,
    "feeds": feeds.WORDS,
    "annual report": annual_report.REPORT_TEXTS,
    "annual report statuses": annual_report.EXTRA_STATUS,
    "pages": pages.PAGE_TEXTS,
    "statuses": vocabulary.STATUS_LABELS,
    "parties": vocabulary.PARTY_LABELS,
    "token labels": vocabulary.TOKEN_LABELS,
    "inferred": inferred.INFERRED_TEXTS,
    "meetings": meetings.WORDS,
    "renegotiation": renegotiation.WORDS,
}
SWEDISH = re.compile("[åäöÅÄÖ]")
PROPER_NOUNS = ("LÖK",)  # the agreement's name, also in English text and identifiers
# Input vocabulary, not output: the timeline grammar reads what plans say.
INPUT_GRAMMAR = {"domain/timelines.py", "domain/plan_document.py",
                 "domain/timeline_grammar.py", "domain/timeline_words.py",
                 "inbound/reply_text.py"}  # the words owners reply with
# The CLI and the benchmark are English tools for IT staff; their help quotes
# Swedish input words (status names) and the benchmark generates Swedish data.
NOT_USER_FACING = ("cli/", "benchmarks/", "devtools/", "texts/")


def placeholders(text: object) -> set[str]:
    if not isinstance(text, str):
        return set()
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_key_in_both_languages_with_the_same_placeholders(name: str) -> None:
    catalogue = CATALOGUES[name]
    assert set(catalogue) == {"sv", "en"}
    assert set(catalogue["sv"]) == set(catalogue["en"]), name
    for key, sv_text in catalogue["sv"].items():
        assert placeholders(sv_text) == placeholders(catalogue["en"][key]), (name, key)


def test_report_rule_messages_in_both_languages() -> None:
    for code, words in report_rules.MESSAGES.items():
        assert set(words) == {"sv", "en"}, code
        assert placeholders(words["sv"]) == placeholders(words["en"]), code


def test_feed_help_in_both_languages() -> None:
    assert set(feeds.HELP) == {"sv", "en"} and all(feeds.HELP.values())


def test_one_long_date() -> None:
    assert long_date("2024-11-15", "sv") == "15 november 2024"
    assert long_date("2024-11-15", "en") == "15 November 2024"
    assert len(MONTHS["sv"]) == len(MONTHS["en"]) == 12


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _without_names(text: str) -> str:
    for name in PROPER_NOUNS:
        text = text.replace(name, "")
    return text


def test_no_user_visible_swedish_outside_the_catalogue() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(NOT_USER_FACING) or relative in INPUT_GRAMMAR:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs and SWEDISH.search(_without_names(node.value))):
                found.append(f"{relative}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_templates_take_their_words_from_the_catalogue() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("templates/*")):
        text = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for number, line in enumerate(text.splitlines(), 1):
            if SWEDISH.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()[:60]}")
    assert found == []
