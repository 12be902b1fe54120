from __future__ import annotations

from journeycode.cli import main

main(prog_name="journeycode")
