"""``crypto ca trustpoint NAME`` and the settings of its sub-mode."""

from __future__ import annotations

from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.context import CommandContext
from lab.emulator.device import Trustpoint

TP_MODE = "config-ca-trustpoint"


def current_trustpoint(ctx: CommandContext) -> Trustpoint:
    return ctx.device.trustpoints[ctx.mode.context["trustpoint"]]


@command(CONFIG, "crypto ca trustpoint <name>")
def trustpoint(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    ctx.device.trustpoints.setdefault(name, Trustpoint(name))
    ctx.session.enter(TP_MODE, trustpoint=name)


@command(TP_MODE, "enrollment <method:self|terminal>")
def enrollment(ctx: CommandContext, m: Match) -> None:
    tp = current_trustpoint(ctx)
    tp.enrollment = m["method"]  # type: ignore[assignment]
    tp.enrollment_url = None


@command(TP_MODE, "enrollment url <url>")
def enrollment_url(ctx: CommandContext, m: Match) -> None:
    tp = current_trustpoint(ctx)
    tp.enrollment, tp.enrollment_url = "url", m["url"]


@command(TP_MODE, "no enrollment [<rest...>]")
def no_enrollment(ctx: CommandContext, m: Match) -> None:
    tp = current_trustpoint(ctx)
    tp.enrollment = tp.enrollment_url = None


@command(TP_MODE, "fqdn <name>")
def fqdn(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).fqdn = m["name"]


@command(TP_MODE, "no fqdn [<name>]")
def no_fqdn(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).fqdn = None


@command(TP_MODE, "subject-name <dn...>")
def subject_name(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).subject_name = m["dn"]


@command(TP_MODE, "no subject-name [<dn...>]")
def no_subject_name(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).subject_name = None


@command(TP_MODE, "keypair <label>")
def keypair(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).keypair = m["label"]


@command(TP_MODE, "no keypair [<label>]")
def no_keypair(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).keypair = None


@command(TP_MODE, "ip-address <address>")
def ip_address(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).ip_address = m["address"]


@command(TP_MODE, "no ip-address [<address>]")
def no_ip_address(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).ip_address = None


@command(CONFIG, "crypto ca trustpool policy")
def trustpool_policy(ctx: CommandContext, m: Match) -> None:
    """Accepted; the virtual ASA keeps no trustpool."""


@command(TP_MODE, "crl configure")
def crl_configure(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).crl_configure = True
