"""Plan files of an exact size that each aim at one cost of reading a plan: the
YAML parser, the schema errors, the cross-checks, the timelines. Shared by the
attack tests and `lokflow bench` (the worst one is the figure)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import yaml

from lokflow.benchmarks.dataset import plan_document

MIB = 1 << 20

HEAD = """lokflow: 1
slug: testby
organisation: {slug: testby, name: Testby kommun}
title: Handlingsplan för Testby
short_name: LÖK Testby
period: {start: 2023, end: 2025}
source: {document: Testdokument}
coordinators:
  - {name: Samordnare, email: samordnare@testby.example.org}
units:
  - {id: kultur, name: Kultur- och fritidsförvaltningen}
follow_up: {annual_date: "10-01"}
"""
ACTIVITIES = "commitments:\n"
TEXT = "Ta fram en rutin för samverkan med föreningarna."
PER_LIST = 5000  # below the reader's limit on list items, to reach its other limits
_YAMLISH = "-:[]{},&*!|>'\"#%@`?<= \n\t" + "abcxyz019" + "\n  - "


def _fill(head: str, unit: Callable[[int], str], tail: str, size: int) -> str:
    """`head`, then as many `unit(n)` as fit before `tail` within `size` bytes."""
    parts, used, n = [head], len(head.encode()) + len(tail.encode()), 0
    while True:
        piece = unit(n)
        if used + len(piece.encode()) > size:
            break
        parts.append(piece)
        used += len(piece.encode())
        n += 1
    return "".join(parts) + tail


def exactly(text: str, size: int) -> bytes:
    """`text` padded with a trailing comment to exactly `size` bytes."""
    data = text.encode()
    if len(data) > size:
        raise ValueError(f"{len(data)} bytes do not fit in {size}")
    gap = size - len(data)
    if gap == 0:
        return data
    pad = b"\n" if gap == 1 else b"\n#" + b"x" * (gap - 2)
    return data + pad


def benign_plan(size: int = MIB) -> bytes:
    """A valid plan (the benchmark's synthetic one) of exactly `size` bytes."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    def dump(activities: int) -> str:
        data = json.loads(plan_document(1, activities).model_dump_json())
        return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)

    per_activity = len(dump(110).encode()) - len(dump(10).encode())
    activities = max(1, (size - len(dump(10).encode())) // (per_activity // 100) + 10)
    text = dump(activities)
    while len(text.encode()) > size:
        activities -= max(1, activities // 100)
        text = dump(activities)
    return exactly(text, size)


def _activities(activity: Callable[[int], str]) -> Callable[[int], str]:
    """Activities `activity(n)`, in as many commitments as the list limit asks for."""

    def unit(n: int) -> str:
        head = "" if n % PER_LIST else (f"  - id: k{n // PER_LIST}\n    party: municipality\n"
                                        "    text: Stöd.\n    activities:\n")
        return head + activity(n)

    return unit


def _junk(size: int) -> str:
    rng = random.Random(20_24)
    return "".join(rng.choice(_YAMLISH) for _ in range(size))


def _shapes(size: int) -> dict[str, str]:
    bomb = "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n"
                   for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    rrules = ("RRULE:FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30", "RRULE:FREQ=MINUTELY",
              "RRULE:FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "RRULE:FREQ=MONTHLY;BYDAY=5MO",
              "RRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=-1;BYDAY=MO")
    return {
        "alias bomb": 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + bomb,
        "junk": _junk(size - 64),
        "deep nesting": "note: " + "[" * ((size - 16) // 2) + "]" * ((size - 16) // 2),
        "flat lists": _fill(HEAD + "note:\n", lambda n: (
            "  - [" if n % PER_LIST == 0 else "") + "1, " + ("]\n" if n % PER_LIST == PER_LIST - 1
                                                            else ""), "  - [1]\n", size),
        "many keys": _fill(HEAD + ACTIVITIES, _activities(lambda n: "      - {" + ", ".join(
            f"okand_nyckel_{k:02d}: {k}" for k in range(60)) + "}\n"), "", size),
        "long text": HEAD + "note: " + "x" * (size - len(HEAD.encode()) - 16),
        "empty items": _fill(HEAD + ACTIVITIES, _activities(lambda n: "      - {}\n"), "", size),
        "unknown owners": _fill(HEAD + ACTIVITIES, _activities(lambda n: (
            f"      - {{id: a{n}, text: {TEXT}, timeline: '2024', "
            f"owners: [okand-enhet-x{n}, okand-enhet-y{n}]}}\n")),
            "", size),
        "bad timelines": _fill(HEAD + ACTIVITIES, _activities(lambda n: (
            f"      - {{id: a{n}, text: T., owners: [kultur], timeline: 'Snart {n} " + "x" * 3900
            + "'}\n")), "", size),
        "short bad timelines": _fill(HEAD + ACTIVITIES, _activities(lambda n: (
            f"      - {{id: a{n}, text: {TEXT}, owners: [kultur], timeline: '{n}-1'}}\n")),
            "", size),
        "runaway timelines": _fill(HEAD + ACTIVITIES, _activities(lambda n: (
            f"      - {{id: a{n}, text: T., owners: [kultur], "
            f"timeline: \"DTSTART:{2000 + n % 90}0101\\n{rrules[n % len(rrules)]}\"}}\n")),
            "", size),
        "duplicate ids": _fill(HEAD + ACTIVITIES, _activities(lambda n: (
            f"      - {{id: a, text: {TEXT}, owners: [kultur], timeline: '2024'}}\n")), "", size),
    }


def hostile_plans(size: int = MIB) -> dict[str, bytes]:
    """Each hostile shape as exactly `size` bytes."""
    return {name: exactly(text, size) for name, text in _shapes(size).items()}
