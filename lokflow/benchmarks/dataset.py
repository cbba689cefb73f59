"""A national-scale synthetic data set: N organisations with one plan of M
activities each, realistic timelines, units and contacts, deterministic."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.plan_files import PlanFile

TIMELINES = [("2023", 25), ("2024", 10), ("2022-2023", 10), ("2023-2025", 5), ("Årligen", 20),
             ("Löpande", 15), ("Kontinuerligt", 4), ("Vid behov", 4), ("2022 och framåt", 4),
             ("2022-2023 och framåt", 3)]
UNITS = [("kommunledning", "Kommunledningsförvaltningen", "department"),
         ("kultur", "Kultur- och fritidsförvaltningen", "department"),
         ("social", "Socialförvaltningen", "department"),
         ("foreningsradet", "Föreningsrådet", "council"),
         ("foreningarna", "Alla föreningar", "collective")]
PARTIES = ["municipality", "civil_society", "joint"]


def _words(rng: random.Random) -> str:
    verbs = ["Ta fram", "Genomföra", "Följa upp", "Informera om", "Utveckla", "Samordna"]
    things = ["en rutin för samverkan", "dialogmöten med föreningar", "föreningsregistret",
              "idéburet offentligt partnerskap", "bidragsreglerna", "en kommunikationsplan"]
    return f"{rng.choice(verbs)} {rng.choice(things)} ({rng.randint(1, 999)})."


def plan_document(index: int, activities: int, everything_due: str | None = None) -> PlanDocument:
    """Organisation `index`; with `everything_due`, every activity has that timeline."""
    rng = random.Random(index)
    slug = f"kommun{index:03d}"
    units = []
    for key, name, kind in UNITS:
        units.append({"id": key, "name": name, "kind": kind,
                      "contacts": [{"name": f"{name} kontakt {n}",
                                    "email": f"{key}{n}@{slug}.example.org"} for n in (1, 2)],
                      "escalation": {"name": f"Chef {name}",
                                     "email": f"chef.{key}@{slug}.example.org"}})
    words = [w for w, weight in TIMELINES for _ in range(weight)]
    commitments = []
    for c in range(10):
        party = PARTIES[c % 3]
        items = []
        for a in range(activities // 10 + (1 if c < activities % 10 else 0)):
            owners = rng.sample([u[0] for u in UNITS], k=rng.choice([1, 1, 2]))
            items.append({"id": f"{c + 1}.{a + 1}", "number": f"{c + 1}.{a + 1}",
                          "text": _words(rng), "owners": owners,
                          "partners": rng.sample(["Studieförbunden", "Regionen", "Polisen"],
                                                 k=rng.randint(0, 2)),
                          "timeline": everything_due or rng.choice(words)})
        commitments.append({"id": f"c{c + 1}", "number": f"{c + 1}.", "party": party,
                            "text": f"Åtagande {c + 1} för {slug}.", "activities": items})
    document = {
        "lokflow": 1, "slug": slug, "organisation": {"slug": slug, "name": f"Kommun {index}"},
        "title": f"Handlingsplan för kommun {index}", "short_name": f"LÖK {index}",
        "period": {"start": 2022, "end": None}, "adopted": date(2022, 3, 1),
        "source": {"document": "Syntetisk plan för prestandamätning"},
        "coordinators": [{"name": "Samordnare", "email": f"samordnare@{slug}.example.org"}],
        "units": units, "follow_up": {"annual_date": f"{rng.randint(9, 11):02d}-15"},
        "commitments": commitments,
    }
    return PlanDocument.model_validate(document)


def plan_files(organisations: int, activities: int,
               everything_due: str | None = None) -> list[PlanFile]:
    files = []
    for index in range(1, organisations + 1):
        document = plan_document(index, activities, everything_due)
        text = json.dumps(document.model_dump(mode="json"), sort_keys=True)
        files.append(PlanFile(path=Path(f"{document.slug}.yaml"), document=document, text=text))
    return files
