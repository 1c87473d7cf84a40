"""``asa-harness run``: placeholder until the scenario runner lands."""
from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser("run", help="run scenarios")
    parser.set_defaults(handler=lambda a, e: 2)
