"""A change's message (journeycode.review.message): one structure, rendered
per format, naming each entity by its name with its id after it."""

from __future__ import annotations

from typing import cast

from journeycode.loader import SourceFile
from journeycode.model import Channel, Src
from journeycode.review.message import MARKDOWN, TEXT, Mention, mention, ref, render, say
from tests.conftest import comment_html


def _channel(ident: str, name: str) -> Channel:
    return Channel(id=ident, src=Src(cast(SourceFile, None), ()), name=name)


def test_an_entity_is_named_first_with_its_id_after_it() -> None:
    said = say("on ", mention(_channel("ivr", "Phone menu")), " at night")
    assert render(said, TEXT) == "on «Phone menu» (ivr) at night"
    assert render(said, MARKDOWN) == "on Phone menu (`ivr`) at night"


def test_an_entity_without_a_name_of_its_own_is_shown_once_by_its_id() -> None:
    for name in ("ivr", "", "   "):
        said = say(mention(_channel("ivr", name)))
        assert said.parts == (Mention("channel", "ivr", None),)
        assert (render(said, TEXT), render(said, MARKDOWN)) == ("ivr", "`ivr`")


def test_a_reference_is_named_by_the_comparer_and_by_its_id_until_then() -> None:
    said = say("on ", ref("channel", "ivr"))
    assert render(said, TEXT) == "on ivr"
    named = said.resolved(lambda kind, ident: "Phone menu" if kind == "channel" else None)
    assert render(named, TEXT) == "on «Phone menu» (ivr)"
    assert named.mentions == (Mention("channel", "ivr", "Phone menu"),)
    unknown = say(ref("channel", "gone")).resolved(lambda kind, ident: None)
    assert render(unknown, MARKDOWN) == "`gone`"


def test_hostile_names_and_ids_stay_text_in_markdown() -> None:
    said = say("- ", mention(_channel("a`b", "</details><img src=x onerror=alert(1)> @me")))
    html = comment_html(render(said, MARKDOWN))
    assert "<img" not in html and "</details>" not in html and "<li>" not in html
    assert "<code>a`b</code>" in html and "@\u2060me" in html
