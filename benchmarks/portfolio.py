"""A generator of realistic journey portfolios of any size, for benchmarks.

``write(folder, journeys=300, touchpoints=40)`` writes a catalog (personas,
channels, owners, systems, KPIs) and one file per journey: stages, touchpoints
on every kind of channel with owners, personas, blueprint lanes, emotions, pain
points, KPIs, next steps and escalations, and opportunities. The portfolio is
valid (no errors) unless ``errors`` asks for some to be planted. The same
arguments always give the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

CHANNELS = [
    ("web", "Website", "digital", "self-service", "24/7"),
    ("app", "Mobile app", "digital", "self-service", "24/7"),
    ("help-centre", "Help centre", "digital", "self-service", "24/7"),
    ("chatbot", "Chatbot", "messaging", "self-service", "24/7"),
    ("ivr", "IVR", "voice", "automated", "24/7"),
    ("sms", "SMS", "messaging", "automated", "24/7"),
    ("webchat", "Live chat", "messaging", "assisted", "Mon-Sat 08:00-22:00"),
    ("email", "E-mail", "messaging", "assisted", "Mon-Fri 09:00-17:00"),
    ("social", "Social media", "social", "assisted", "Daily 08:00-22:00"),
    ("agent-voice", "Phone (agent)", "voice", "assisted", "Mon-Fri 08:00-20:00"),
    ("callback", "Callback", "voice", "assisted", "Mon-Fri 08:00-20:00"),
    ("store", "Store", "in-person", "assisted", "Mon-Sat 09:00-18:00"),
]
ASSISTED = [c for c in CHANNELS if c[3] == "assisted"]
PERSONAS = [
    "busy-parent",
    "small-business",
    "retiree",
    "student",
    "commuter",
    "carer",
    "expat",
    "gamer",
]
OWNERS = [f"team-{n}" for n in range(10)]
SYSTEMS = [
    "crm",
    "acd",
    "ivr-platform",
    "ticketing",
    "billing",
    "knowledge-base",
    "order-entry",
    "survey",
]
STAGES = ["Notice", "Seek help", "Diagnose", "Resolve", "Confirm", "Follow up"]
VERBS = [
    "Opens",
    "Reads",
    "Calls",
    "Asks",
    "Checks",
    "Waits for",
    "Pays",
    "Rates",
    "Books",
    "Reports",
]
THINGS = ["the bill", "the outage map", "an engineer", "the refund", "the new plan", "the router"]


def _catalog() -> dict[str, Any]:
    kpis: list[dict[str, Any]] = []
    for channel, name, *_ in CHANNELS:
        kpis.append(
            {
                "id": f"{channel}-handling",
                "name": f"{name} handling time",
                "kind": "operational",
                "unit": "seconds",
                "direction": "lower",
                "range": [0, 3600],
                "target": 300,
                "owner": "team-0",
                "channels": [channel],
                "measurements": [
                    {"date": "2026-09-30", "value": 320},
                    {"date": "2026-10-31", "value": 290},
                ],
            }
        )
    kpis.append(
        {
            "id": "csat",
            "name": "CSAT",
            "kind": "feedback",
            "unit": "score",
            "direction": "higher",
            "range": [1, 5],
            "target": 4.3,
            "owner": "team-1",
            "channels": [c[0] for c in CHANNELS],
        }
    )
    return {
        "journeycode": 1,
        "personas": [
            {"id": p, "name": p.replace("-", " ").title(), "preferred_channels": ["app", "webchat"]}
            for p in PERSONAS
        ],
        "channels": [
            {"id": c, "name": n, "type": t, "mode": m, "hours": h} for c, n, t, m, h in CHANNELS
        ],
        "owners": [
            {"id": o, "name": f"Team {o[-1]}", "contact": f"{o}@example.com"} for o in OWNERS
        ],
        "systems": [{"id": s, "name": s.upper()} for s in SYSTEMS],
        "kpis": kpis,
    }


def _journey(rng: random.Random, index: int, touchpoints: int) -> dict[str, Any]:
    personas = rng.sample(PERSONAS, 3)
    stage_names = STAGES[: min(rng.randint(4, len(STAGES)), touchpoints)]
    per_stage = [touchpoints // len(stage_names)] * len(stage_names)
    for extra in range(touchpoints - sum(per_stage)):
        per_stage[extra] += 1
    ids = [f"tp-{n}" for n in range(touchpoints)]
    stages = []
    pains: list[str] = []
    number = 0
    for s, (stage_name, count) in enumerate(zip(stage_names, per_stage, strict=True)):
        tps = []
        human = ids[number]  # each stage opens with an assisted touchpoint: the way out
        for position in range(count):
            channel = rng.choice(ASSISTED if position == 0 else CHANNELS)
            tp: dict[str, Any] = {
                "id": ids[number],
                "name": f"{rng.choice(VERBS)} {rng.choice(THINGS)} ({number})",
                "channel": channel[0],
                "action": f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
                "frontstage": f"Shows {rng.choice(THINGS)}",
                "backstage": [f"{rng.choice(SYSTEMS).upper()} updates {rng.choice(THINGS)}"],
                "systems": ["crm", *rng.sample(SYSTEMS[1:], 2)],
                "emotion": {p: rng.randint(-2, 2) for p in personas},
                "kpis": [f"{channel[0]}-handling", "csat"],
            }
            if number + 1 < touchpoints:
                tp["next"] = [ids[number + 1]]
            if channel[3] != "assisted":
                tp["escalates_to"] = [human]
            if rng.random() < 0.15:
                pain = f"pain-{number}"
                tp["pain_points"] = [{"id": pain, "text": "Takes too long", "severity": "high"}]
                pains.append(pain)
            if rng.random() < 0.1:
                tp["moment_of_truth"] = True
            tps.append(tp)
            number += 1
        stages.append(
            {
                "id": f"stage-{s}",
                "name": stage_name,
                "owner": OWNERS[(index + s) % len(OWNERS)],
                "kpis": ["csat"],
                "touchpoints": tps,
            }
        )
    return {
        "journeycode": 1,
        "journey": {
            "id": f"journey-{index}",
            "name": f"Journey number {index}",
            "version": "1.0.0",
            "status": "published",
            "owner": OWNERS[index % len(OWNERS)],
            "reviewed": "2999-01-01",
            "personas": personas,
            "stages": stages,
            "opportunities": [
                {
                    "id": f"fix-{p}",
                    "name": f"Fix {p}",
                    "addresses": [p],
                    "owner": "team-2",
                    "status": "idea",
                }
                for p in pains
            ],
        },
    }


PLANTED = (
    ("      channel: ", "      channel: web-chat"),  # an unknown reference
    (
        "      action: ",
        "      emotion: 5",
    ),  # a schema error (emotion given twice is a duplicate key)
)


def write(
    folder: Path, journeys: int, touchpoints: int, errors: int = 0, seed: int = 0
) -> list[Path]:
    """Write the portfolio; returns the files in the order journeycode reads them."""
    rng = random.Random(seed)
    (folder / "journeys").mkdir(parents=True, exist_ok=True)
    files = [folder / "catalog.yaml"]
    files[0].write_text(yaml.safe_dump(_catalog(), sort_keys=False, allow_unicode=True), "utf-8")
    for index in range(journeys):
        path = folder / "journeys" / f"journey-{index:04d}.yaml"
        text = yaml.safe_dump(
            _journey(rng, index, touchpoints), sort_keys=False, allow_unicode=True
        )
        if index < errors:
            old, new = PLANTED[index % len(PLANTED)]
            line_start = text.index(old)
            line_end = text.index("\n", line_start)
            text = text[:line_start] + new + text[line_end:]
        path.write_text(text, "utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--touchpoints", type=int, default=40)
    parser.add_argument("--errors", type=int, default=0, help="plant this many errors")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    files = write(args.folder, args.journeys, args.touchpoints, args.errors, args.seed)
    print(f"{len(files)} files in {args.folder}")


if __name__ == "__main__":
    main()
