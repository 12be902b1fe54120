"""Contact flows exported from real deployments (``tests/flows/``, their
sources and licences in its README), checked as a team would check them: the
findings here are the ones a reader of each flow can confirm by hand, and the
comments say how."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

from journeycode.compiler import check
from tests.conftest import CASES, invoke, write_files

FLOWS = Path(__file__).parent / "flows"
CATALOG = (CASES / "rules" / "_catalog.yaml").read_text(encoding="utf-8")
TODAY = datetime.date(2026, 11, 1)
FLOW_RULES = {
    "flows",
    "flow-way-out",
    "flow-matches-map",
    "ivr-menu-depth",
    "ivr-menu-options",
    "flow-loop",
    "flow-after-hours",
    "flow-unchecked",
    "unknown-reference",
}


def _journey(tp: str) -> str:
    return f"""journey:
  id: ask
  name: Ask
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {tp}
        - {{id: person, name: A person, channel: agent-voice}}
"""


def _found(root: Path) -> list[tuple[str, str, str]]:
    result = check(root, "", today=TODAY)
    return [(p.location, p.rule, p.message) for p in result.problems if p.rule in FLOW_RULES]


def test_amazon_connect_acme_flows(tmp_path: Path) -> None:
    shutil.copytree(FLOWS / "acme-connect" / "flows", tmp_path / "flows")
    write_files(
        tmp_path,
        {
            "catalog.yaml": CATALOG,
            "journey.yaml": _journey(
                "{id: ivr, name: ACME IVR, channel: ivr, flow: acme_main_AUTO, "
                "escalates_to: [person]}"
            ),
            # The sample's flows name each other through flow attributes set to
            # ARNs with its deploy script's placeholders: the settings map them.
            "journeycode.yaml": """flows:
  aliases:
    "${F:acme_queue_transfer_AUTO:F}": acme_queue_transfer_AUTO
    "${M:acme_contact_flow_module_AUTO:M}": acme_contact_flow_module_AUTO
""",
        },
    )
    # Both flows are a JSON string in "Content" (line 4): every finding is there.
    assert _found(tmp_path) == [
        # acme_main_AUTO: every block's error branch, and the Lex bot's
        # "NoMatchingCondition" (a caller who says neither sales nor finance),
        # go to 555f2130 "We are experiencing technical difficulties. Please
        # retry your call." and then to 4eced497, a DisconnectParticipant.
        # The first such branch on the way in is UpdateContactEventHooks' error.
        (
            "flows/acme_main_AUTO.json:4:14",
            "flow-way-out",
            "flow 'acme_main_AUTO' leaves the customer with nobody: step 'cc06f7c7' → "
            "step 'FLOW_OBJECT_MAPS#' → step '5f4a8479' → prompt 'd72fa272' → "
            "step '254b28a9' → [error] → prompt '555f2130' → disconnect '4eced497'",
        ),
        # Through the module and into acme_queue_transfer_AUTO (TransferToFlow
        # 70b62b74), whose TransferContactToQueue 842346a5 sends
        # "QueueAtCapacity" (a full queue) to 6ecbeecc, a DisconnectParticipant.
        (
            "flows/acme_queue_transfer_AUTO.json:4:14",
            "flow-way-out",
            "flow 'acme_main_AUTO' leaves the customer with nobody: step 'cc06f7c7' → "
            "step 'FLOW_OBJECT_MAPS#' → step '5f4a8479' → prompt 'd72fa272' → "
            "step '254b28a9' → bot 'f713e89c' → [Sales] → step '42afdd96' → "
            "sub-flow 'c733ed0f' → step 'ad08e74e' → sub-flow '70b62b74' → "
            "flow 'acme_queue_transfer_AUTO': step 'FLOW_OBJECT_MAPS#' → "
            "step 'Set Customer Whisper' → step 'Set Agent Whisper' → "
            "transfer '842346a5' → [error] → disconnect '6ecbeecc'",
        ),
    ]


def test_amazon_connect_sub_flows_not_in_the_workspace_are_unknown(tmp_path: Path) -> None:
    """Without the aliases the sub-flows are not found: their branches are
    said to be unchecked, and no dead end is made up inside them (the queue
    transfer flow, run by nothing now, is checked on its own)."""
    shutil.copytree(FLOWS / "acme-connect" / "flows", tmp_path / "flows")
    write_files(
        tmp_path,
        {
            "catalog.yaml": CATALOG,
            "journey.yaml": _journey(
                "{id: ivr, name: ACME IVR, channel: ivr, flow: acme_main_AUTO, "
                "escalates_to: [person]}"
            ),
        },
    )
    found = _found(tmp_path)
    assert sorted(rule for _, rule, _ in found) == [
        "flow-unchecked",
        "flow-unchecked",
        "flow-way-out",
        "flow-way-out",
    ]
    said = [message for _, rule, message in found if rule == "flow-unchecked"]
    assert "the branch through step 'c733ed0f' is not checked" in said[0]
    assert "the branch through step '70b62b74' is not checked" in said[1]


def test_twilio_studio_vaccine_bot(tmp_path: Path) -> None:
    shutil.copytree(FLOWS / "twilio-vaccine-bot" / "flows", tmp_path / "flows")
    write_files(
        tmp_path,
        {
            "catalog.yaml": CATALOG,
            "journey.yaml": _journey(
                "{id: bot, name: Vaccine FAQ bot, channel: chatbot, flow: vaccine-faq-bot, "
                "escalates_to: [person]}"
            ),
        },
    )
    start = "step 'Trigger' → step 'SetUtteranceVariable' → step 'DialogflowDetectIntent'"
    answer = (
        f"{start} → step 'SetDialogflowSessionId' → step 'Check_EndSession' → [no match] → "
        "prompt 'SendDialogflowAnswer'"
    )
    assert _found(tmp_path) == [
        # The bot answers (SendDialogflowAnswer), waits (AnyFurtherQuestionsAndWait)
        # and asks Dialogflow again: no widget of the flow hands over to anyone,
        # so the conversation goes round until the customer gives up.
        (
            "flows/vaccine-faq-bot.json:48:5",
            "flow-loop",
            "flow 'vaccine-faq-bot' has a loop with no way out: step 'DialogflowDetectIntent' → "
            "step 'SetDialogflowSessionId' → step 'Check_EndSession' → [no match] → "
            "prompt 'SendDialogflowAnswer' → input 'AnyFurtherQuestionsAndWait' → "
            "step 'ResetUtteranceVariable' → step 'DialogflowDetectIntent'",
        ),
        # The Dialogflow function's "fail" transition has no next: the flow ends.
        (
            "flows/vaccine-faq-bot.json:48:5",
            "flow-way-out",
            f"flow 'vaccine-faq-bot' leaves the customer with nobody: {start} → [error] → "
            "the end of the flow",
        ),
        # No reply within the hour: the flow ends.
        (
            "flows/vaccine-faq-bot.json:78:5",
            "flow-way-out",
            f"flow 'vaccine-faq-bot' leaves the customer with nobody: {answer} → "
            "input 'AnyFurtherQuestionsAndWait' → [timeout] → the end of the flow",
        ),
        # The split's condition is called "Wants Agent", but it sends the
        # "Thank you for using Vaccine FAQ bot!" message and ends.
        (
            "flows/vaccine-faq-bot.json:180:5",
            "flow-way-out",
            f"flow 'vaccine-faq-bot' leaves the customer with nobody: {start} → "
            "step 'SetDialogflowSessionId' → step 'Check_EndSession' → [Wants Agent] → "
            "prompt 'SendFinalMessage' → the end of the flow",
        ),
        # An answer that cannot be delivered: "failed" has no next.
        (
            "flows/vaccine-faq-bot.json:203:5",
            "flow-way-out",
            f"flow 'vaccine-faq-bot' leaves the customer with nobody: {answer} → [error] → "
            "the end of the flow",
        ),
        # The map says the bot escalates to a person; the flow never does.
        (
            "journey.yaml:9:68",
            "flow-matches-map",
            "touchpoint 'bot' escalates to 'person', but flow 'vaccine-faq-bot' transfers the "
            "customer to no one",
        ),
    ]


def test_hostile_flow_files_are_located_problems_never_a_crash(tmp_path: Path) -> None:
    """Nested too deeply, too large, not UTF-8, a step that leads to itself
    for ever, names that would be workflow commands or mentions: each one
    located, its text escaped where a report shows it."""
    evil = ["Start\n::error file=x::pwned", "@everyone <script>x</script>"]
    looping = [
        {"name": "Again", "type": "say-play", "transitions": [{"event": "x", "next": "Again"}]}
    ]
    write_files(
        tmp_path,
        {
            "catalog.yaml": CATALOG,
            "journey.yaml": _journey(
                "{id: ivr, name: IVR, channel: ivr, flow: evil, escalates_to: [person]}"
            ),
            "flows/deep.json": "[" * 100_000 + "]" * 100_000,
            "flows/huge.json": '{"a": "' + "x" * (5 * 1024 * 1024) + '"}',
            "flows/latin1.json": b'{"initial_state": "\xe9"}',
            "flows/loop.json": json.dumps({"initial_state": "Again", "states": looping}),
            "flows/evil.json": json.dumps(
                {
                    "initial_state": evil[0],
                    "states": [
                        {
                            "name": evil[0],
                            "type": "say-play",
                            "transitions": [{"event": "audioComplete", "next": evil[1]}],
                        },
                        {
                            "name": evil[1],
                            "type": "x\n::warning::y",
                            "transitions": [{"event": "e"}],
                        },
                    ],
                }
            ),
        },
    )
    found = {(location.split(":")[0], rule) for location, rule, _ in _found(tmp_path)}
    assert {
        ("flows/deep.json", "flows"),
        ("flows/huge.json", "flows"),
        ("flows/latin1.json", "flows"),
        ("flows/loop.json", "flow-loop"),
        ("flows/evil.json", "flow-way-out"),
        ("flows/evil.json", "flow-unchecked"),
    } <= found
    run = invoke(tmp_path, "check", "--format", "github", ".")
    assert not [
        line
        for line in run.output.splitlines()
        if line.startswith("::") and "pwned" in line.split("::", 2)[1]
    ]
    assert "%0A::error file=x::pwned" in run.output


def test_each_folder_of_real_flows_keeps_the_licence_it_came_with() -> None:
    """tests/flows/README.md names each folder's licence file: it is there."""
    table = (FLOWS / "README.md").read_text("utf-8")
    folders = sorted(p.name for p in FLOWS.iterdir() if p.is_dir())
    assert folders
    for folder in folders:
        assert f"`{folder}/LICENSE`" in table, folder
        assert (FLOWS / folder / "LICENSE").read_text("utf-8").strip(), folder


def test_a_long_path_is_said_in_russian_from_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    """A dead end 600 prompts down: its path, one message of messages, is said
    again in the reader's language and kept in the cache and read back; nested
    as deep as it is long, it went past Python's recursion limit."""
    steps = [
        {
            "Identifier": f"p{n}",
            "Type": "MessageParticipant",
            "Parameters": {"Text": f"Prompt {n}"},
            "Transitions": {"NextAction": f"p{n + 1}" if n < 599 else "bye"},
        }
        for n in range(600)
    ]
    steps.append({"Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}})
    write_files(
        tmp_path,
        {
            "journeycode.yaml": "language: ru\n",
            "catalog.yaml": CATALOG,
            "journey.yaml": _journey(
                "{id: ivr, name: IVR, channel: ivr, flow: long, escalates_to: [person]}"
            ),
            "flows/long.json": json.dumps(
                {"Version": "2019-10-30", "StartAction": "p0", "Actions": steps}
            ),
        },
    )
    env = {"JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")}
    cold, warm = (invoke(tmp_path, "check", ".", env=env) for _ in range(2))
    assert cold.exit_code == warm.exit_code == 1, cold.output
    assert warm.output == cold.output
    said = next(line for line in cold.output.splitlines() if "[flow-way-out]" in line)
    prompts = [f"'p{n}'" for n in range(600)]
    assert said.index(prompts[0]) < said.index(prompts[299]) < said.index(prompts[599])
    assert " → ".join(["'p0'", "'p1'"]) not in said  # each step is said with its kind
    assert said.count(" → ") == 600  # 600 prompts, the hang-up
