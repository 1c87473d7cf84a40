"""``crypto ca certificate map NAME SEQ`` and its criteria (asa-cli.md section 10).

The device keeps every criterion line lower-cased, value included ([TOOL] NSA), so
``subject-name attr ou eq Contractors`` is shown as ``subject-name attr ou eq contractors``.
"""

from __future__ import annotations

from typing import cast

from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import (
    CertificateMapEntry,
    CertificateMapRule,
    CertMapField,
    CertMapOperator,
)

MAP_MODE = "config-ca-cert-map"

#: Attribute tags of the ASDM field list (C, CN, DNQ, EA, GENQ, GN, I, L, N, O, OU, SER, SN,
#: SP, ST, T, UID, UNAME); the CLI spelling is the lower-case tag.
ATTRIBUTE_TAGS = "c|cn|dnq|ea|genq|gn|i|l|n|o|ou|ser|sn|sp|st|t|uid|uname"
OPERATORS = "eq|ne|co|nc"
MAX_RULE = 255  # [DOC] CLIG: a rule is at most 255 characters


@command(CONFIG, "crypto ca certificate map <map> <sequence:int:1-65535>")
def certificate_map(ctx: CommandContext, m: Match) -> None:
    key = (check_name(m, "map"), int(m["sequence"]))
    ctx.device.certificate_maps.setdefault(key, CertificateMapEntry(*key))
    ctx.session.enter(MAP_MODE, map=m["map"], sequence=m["sequence"])


@command(CONFIG, "no crypto ca certificate map <map> [<sequence:int:1-65535>]")
def no_certificate_map(ctx: CommandContext, m: Match) -> None:
    sequence = m.get("sequence")
    for key in list(ctx.device.certificate_maps):
        if key[0] == m["map"] and (sequence is None or key[1] == int(sequence)):
            del ctx.device.certificate_maps[key]


def current_entry(ctx: CommandContext) -> CertificateMapEntry:
    key = (ctx.mode.context["map"], int(ctx.mode.context["sequence"]))
    entry = ctx.device.certificate_maps.get(key)
    if entry is None:  # removed by another session while this one sat in its sub-mode
        raise CommandError(f"ERROR: certificate map {key[0]} {key[1]} does not exist")
    return entry


def _rule(m: Match, field: str) -> CertificateMapRule:
    value = " ".join(m["value"].split()).lower()
    rule = CertificateMapRule(
        field=cast(CertMapField, field),
        operator=cast(CertMapOperator, m["operator"]),
        value=value,
        attribute=m.get("tag"),
    )
    if len(rule.config_line()) > MAX_RULE:
        raise InvalidArgumentError(m.line.index(m["value"].split()[0]))
    return rule


def _add(ctx: CommandContext, rule: CertificateMapRule) -> None:
    rules = current_entry(ctx).rules
    if rule not in rules:
        rules.append(rule)


def _remove(ctx: CommandContext, rule: CertificateMapRule) -> None:
    rules = current_entry(ctx).rules
    if rule in rules:
        rules.remove(rule)


_DN_PATTERNS = (f"[attr <tag:{ATTRIBUTE_TAGS}>] <operator:{OPERATORS}> <value...>",)


@command(MAP_MODE, *(f"subject-name {p}" for p in _DN_PATTERNS))
def subject_name(ctx: CommandContext, m: Match) -> None:
    _add(ctx, _rule(m, "subject-name"))


@command(MAP_MODE, *(f"no subject-name {p}" for p in _DN_PATTERNS))
def no_subject_name(ctx: CommandContext, m: Match) -> None:
    _remove(ctx, _rule(m, "subject-name"))


@command(MAP_MODE, *(f"issuer-name {p}" for p in _DN_PATTERNS))
def issuer_name(ctx: CommandContext, m: Match) -> None:
    _add(ctx, _rule(m, "issuer-name"))


@command(MAP_MODE, *(f"no issuer-name {p}" for p in _DN_PATTERNS))
def no_issuer_name(ctx: CommandContext, m: Match) -> None:
    _remove(ctx, _rule(m, "issuer-name"))


@command(MAP_MODE, f"alternate-subject-name <operator:{OPERATORS}> <value...>")
def alternate_subject_name(ctx: CommandContext, m: Match) -> None:
    _add(ctx, _rule(m, "alternate-subject-name"))


@command(MAP_MODE, f"no alternate-subject-name <operator:{OPERATORS}> <value...>")
def no_alternate_subject_name(ctx: CommandContext, m: Match) -> None:
    _remove(ctx, _rule(m, "alternate-subject-name"))


@command(MAP_MODE, "extended-key-usage <operator:co|nc> <value>")
def extended_key_usage(ctx: CommandContext, m: Match) -> None:
    _add(ctx, _rule(m, "extended-key-usage"))


@command(MAP_MODE, "no extended-key-usage <operator:co|nc> <value>")
def no_extended_key_usage(ctx: CommandContext, m: Match) -> None:
    _remove(ctx, _rule(m, "extended-key-usage"))
