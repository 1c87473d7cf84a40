"""Pick the parser for a command line as typed (``sh cry ca cert TP``) and run it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harness.parse import (
    certificates,
    clock,
    keys,
    running_config,
    ssl,
    ssl_certificate,
    trustpoints,
    version,
    vpn_sessions,
    write_memory,
)
from harness.parse._command import PROMPT_PREFIX, CommandSpec
from harness.parse._time import ZoneOffsets
from harness.parse.errors import ParseError, UnsupportedCommandError

ParseResult = (
    list[certificates.CertificateRecord]
    | list[trustpoints.TrustpointRecord]
    | ssl.SslStatus
    | list[ssl_certificate.ServedCertificates]
    | list[keys.KeyPairRecord]
    | clock.ClockReading
    | list[vpn_sessions.VpnSessionRecord]
    | version.VersionRecord
    | running_config.RunningConfig
    | write_memory.WriteMemoryResult
)


@dataclass(frozen=True)
class Parser:
    spec: CommandSpec
    run: Callable[[str, ZoneOffsets | None], ParseResult]

    @property
    def command(self) -> str:
        return self.spec.name


PARSERS: tuple[Parser, ...] = (
    Parser(certificates.COMMAND, lambda t, z: certificates.parse_certificates(t, zones=z)),
    Parser(trustpoints.COMMAND, lambda t, z: trustpoints.parse_trustpoints(t)),
    Parser(ssl.COMMAND, lambda t, z: ssl.parse_ssl(t)),
    Parser(ssl_certificate.COMMAND, lambda t, z: ssl_certificate.parse_ssl_certificate(t, zones=z)),
    Parser(keys.COMMAND, lambda t, z: keys.parse_keypairs(t, zones=z)),
    Parser(clock.COMMAND, lambda t, z: clock.parse_clock(t, zones=z)),
    Parser(vpn_sessions.COMMAND, lambda t, z: vpn_sessions.parse_vpn_sessions(t, zones=z)),
    Parser(version.COMMAND, lambda t, z: version.parse_version(t, zones=z)),
    Parser(running_config.COMMAND, lambda t, z: running_config.parse_running_config(t)),
    Parser(write_memory.COMMAND, lambda t, z: write_memory.parse_write_memory(t)),
)


def parser_for(command: str, parsers: Sequence[Parser] = PARSERS) -> Parser:
    """The parser of ``command`` (keywords may be abbreviated; a prompt in front is ignored)."""
    if "|" in command:
        raise UnsupportedCommandError(
            f"{command.strip()!r}: output filtered with '|' is partial and cannot be parsed; "
            "run the command without the filter"
        )
    words = PROMPT_PREFIX.sub("", command.strip(), count=1).split()
    scored = [(parser.spec.match(words), parser) for parser in parsers]
    matches = [(score, parser) for score, parser in scored if score is not None]
    if not matches:
        known = ", ".join(parser.command for parser in parsers)
        raise UnsupportedCommandError(
            f"no parser for {command.strip()!r}; parsers exist for: {known}"
        )
    best = max(score for score, _ in matches)
    chosen = [parser for score, parser in matches if score == best]
    if len(chosen) > 1:
        names = " or ".join(repr(parser.command) for parser in chosen)
        raise UnsupportedCommandError(f"{command.strip()!r} is ambiguous: it could be {names}")
    return chosen[0]


def parse(command: str, text: str, *, zones: ZoneOffsets | None = None) -> ParseResult:
    """Parse ``text``, the output of ``command`` as typed; ParseError names that command.

    ``zones`` maps time-zone names to UTC offsets (see ``RunningConfig.zone_offsets``).
    """
    parser = parser_for(command)
    try:
        return parser.run(text, zones)
    except ParseError as error:
        raise error.for_command(command.strip()) from None
