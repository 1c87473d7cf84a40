"""Where command modules register their patterns, per CLI mode."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from lab.emulator.cli.grammar import Grammar, Match

if TYPE_CHECKING:
    from lab.emulator.cli.context import CommandContext

HandlerFunction = Callable[["CommandContext", Match], Awaitable[None] | None]

EXEC = "exec"
PRIVILEGED = "privileged"
CONFIG = "config"

#: Sub-modes of global configuration; the prompt shows the name in parentheses.
SUB_MODES = (
    "config-ca-trustpoint",
    "config-ca-crl",
    "config-ca-cert-map",
    "config-cert-chain",
    "config-tunnel-general",
    "config-tunnel-webvpn",
    "config-tunnel-ipsec",
    "config-webvpn",
    "config-group-policy",
    "config-group-webvpn",
    "config-if",
    "config-username",
)

_GRAMMARS: dict[str, Grammar[HandlerFunction]] = {
    mode: Grammar() for mode in (EXEC, PRIVILEGED, CONFIG, *SUB_MODES)
}


def command(
    modes: str | Iterable[str], *patterns: str, hidden: bool = False
) -> Callable[[HandlerFunction], HandlerFunction]:
    """Register a handler for one or more patterns in one or more modes (``hidden``: not
    offered by ``?`` help)."""
    mode_list = [modes] if isinstance(modes, str) else list(modes)

    def register(handler: HandlerFunction) -> HandlerFunction:
        for mode in mode_list:
            for pattern in patterns:
                _GRAMMARS[mode].add(pattern, handler, hidden=hidden)
        return handler

    return register


def grammar(mode: str) -> Grammar[HandlerFunction]:
    return _GRAMMARS[mode]


def readonly(handler: HandlerFunction) -> HandlerFunction:
    """Mark a config-mode handler that changes no configuration (exit, end, show ...)."""
    handler.readonly = True  # type: ignore[attr-defined]
    return handler
