"""The language server: the rules while editing.

:mod:`~journeycode.lsp.index` (where every id is defined and used),
:mod:`~journeycode.lsp.cursor` (what the text around a cursor is) and
:mod:`~journeycode.lsp.edits` (renames and quick fixes as text edits) are a
pure core over :func:`journeycode.compiler.compile_workspace`; only
:mod:`~journeycode.lsp.server` speaks the protocol, through pygls.
"""
