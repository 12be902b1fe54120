"""Reviewing a change: two versions of the maps compared by meaning.

:mod:`~journeycode.review.changes` names the kinds of change and their levels,
:mod:`~journeycode.review.fields` says which field of which entity raises which,
:mod:`~journeycode.review.compare` finds them, :mod:`~journeycode.review.run`
reads and compiles both sides, :mod:`~journeycode.review.report` writes them out.
"""
