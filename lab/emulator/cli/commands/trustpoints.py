"""``crypto ca trustpoint NAME``, the settings of its sub-mode, and its removal
(asa-cli.md sections 7 and 8.7)."""

from __future__ import annotations

from typing import cast

from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import ask_yes_no
from lab.emulator.device import EnrollmentMethod, Trustpoint

TP_MODE = "config-ca-trustpoint"
CRL_MODE = "config-ca-crl"
MAX_NAME = 128


def unknown_trustpoint(name: str) -> CommandError:
    """[REAL] ASAU."""
    return CommandError(f"ERROR: CA trustpoint '{name}' is not known.")


def current_trustpoint(ctx: CommandContext) -> Trustpoint:
    name = ctx.mode.context["trustpoint"]
    tp = ctx.device.trustpoints.get(name)
    if tp is None:  # removed from another session while this one sat in its sub-mode
        raise unknown_trustpoint(name)
    return tp


@command(CONFIG, "crypto ca trustpoint <name>")
def trustpoint(ctx: CommandContext, m: Match) -> None:
    name = check_name(m, "name", MAX_NAME)
    ctx.device.trustpoints.setdefault(name, Trustpoint(name))
    ctx.session.enter(TP_MODE, trustpoint=name)


_REMOVAL_WARNING = (
    "WARNING: Removing an enrolled trustpoint will destroy all ",  # trailing space [REAL] ASAU
    "certificates received from the related Certificate Authority.",
)


@command(CONFIG, "no crypto ca trustpoint <name> [noconfirm]")
async def no_trustpoint(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    if name not in ctx.device.trustpoints:
        raise unknown_trustpoint(name)
    tp = ctx.device.trustpoints[name]
    enrolled = tp.is_enrolled or tp.is_authenticated
    if enrolled:
        ctx.out(*_REMOVAL_WARNING)
        if not m.has("noconfirm"):
            ctx.out("")
            if not await ask_yes_no(ctx.term, "Are you sure you want to do this? [yes/no]: "):
                return
    if name not in ctx.device.trustpoints:  # removed by another session during the question
        raise unknown_trustpoint(name)
    _remove_trustpoint(ctx, name)
    if enrolled:
        ctx.out("INFO: Be sure to ask the CA administrator to revoke your certificates.")


def _remove_trustpoint(ctx: CommandContext, name: str) -> None:
    """Drop the trustpoint and its certificates; the keypair stays (zeroize separately).
    References to it go too, so that the configuration still replays [RECONSTRUCTED]."""
    device = ctx.device
    del device.trustpoints[name]
    ssl = device.ssl
    ssl.interface_trustpoints = {n: t for n, t in ssl.interface_trustpoints.items() if t != name}
    ssl.domain_trustpoints = {d: b for d, b in ssl.domain_trustpoints.items() if b[0] != name}
    if ssl.global_trustpoint == name:
        ssl.global_trustpoint = None
    if device.ikev2_remote_access_trustpoint == name:
        device.ikev2_remote_access_trustpoint = None


# ---------------------------------------------------------------- sub-mode settings


@command(TP_MODE, "enrollment <method:self|terminal>")
def enrollment(ctx: CommandContext, m: Match) -> None:
    tp = current_trustpoint(ctx)
    tp.enrollment = cast(EnrollmentMethod, m["method"])
    tp.enrollment_url = None


@command(TP_MODE, "enrollment url <url>")
def enrollment_url(ctx: CommandContext, m: Match) -> None:
    url = m["url"]
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidArgumentError(m.line.index(url))
    tp = current_trustpoint(ctx)
    tp.enrollment, tp.enrollment_url = "url", url


@command(TP_MODE, "no enrollment [<method:self|terminal>]", "no enrollment url [<url>]")
def no_enrollment(ctx: CommandContext, m: Match) -> None:
    tp = current_trustpoint(ctx)
    tp.enrollment = tp.enrollment_url = None


@command(TP_MODE, "fqdn <name>")
def fqdn(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    current_trustpoint(ctx).fqdn = "none" if name.lower() == "none" else name


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
    parts = m["address"].split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        raise InvalidArgumentError(m.line.index(m["address"]))
    current_trustpoint(ctx).ip_address = m["address"]


@command(TP_MODE, "no ip-address [<address>]")
def no_ip_address(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).ip_address = None


@command(
    TP_MODE,
    "revocation-check none",
    "revocation-check <first:crl|ocsp> [<second:crl|ocsp|none>] [<third:none>]",
)
def revocation_check(ctx: CommandContext, m: Match) -> None:
    words = m.present("first", "second", "third") or ["none"]
    if len(set(words)) != len(words):
        raise InvalidArgumentError(m.line.rindex(words[-1]))
    current_trustpoint(ctx).revocation_check = " ".join(words)


@command(TP_MODE, "no revocation-check [<methods...>]")
def no_revocation_check(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).revocation_check = None


_USAGES = "ipsec-client|ssl-client|ssl-server"


@command(
    TP_MODE,
    f"validation-usage <first:{_USAGES}> [<second:{_USAGES}>] [<third:{_USAGES}>]",
)
def validation_usage(ctx: CommandContext, m: Match) -> None:
    words = m.present("first", "second", "third")
    current_trustpoint(ctx).validation_usage = " ".join(dict.fromkeys(words))


@command(TP_MODE, "no validation-usage [<usages...>]")
def no_validation_usage(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).validation_usage = ""


@command(TP_MODE, "id-usage <first:ssl-ipsec|code-signer> [<second:ssl-ipsec|code-signer>]")
def id_usage(ctx: CommandContext, m: Match) -> None:
    words = m.present("first", "second")
    current_trustpoint(ctx).id_usage = " ".join(dict.fromkeys(words))


@command(TP_MODE, "no id-usage [<usages...>]")
def no_id_usage(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).id_usage = None


@command(TP_MODE, "ca-check")
def ca_check(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).ca_check = True


@command(TP_MODE, "no ca-check")
def no_ca_check(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).ca_check = False


@command(TP_MODE, "proxy-ldc-issuer")
def proxy_ldc_issuer(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).proxy_ldc_issuer = True


@command(TP_MODE, "no proxy-ldc-issuer")
def no_proxy_ldc_issuer(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).proxy_ldc_issuer = False


@command(TP_MODE, "client-types <first:ssl|ipsec> [<second:ssl|ipsec>]")
def client_types(ctx: CommandContext, m: Match) -> None:
    words = m.present("first", "second")
    current_trustpoint(ctx).client_types = " ".join(dict.fromkeys(words))


@command(TP_MODE, "no client-types [<types...>]")
def no_client_types(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).client_types = None


@command(TP_MODE, "crl configure")
def crl_configure(ctx: CommandContext, m: Match) -> None:
    """Enters the CRL sub-mode; the virtual ASA fetches no CRLs, so it only keeps the line."""
    tp = current_trustpoint(ctx)
    tp.crl_configure = True
    ctx.session.push(CRL_MODE, trustpoint=tp.name)


@command(TP_MODE, "no crl configure")
def no_crl_configure(ctx: CommandContext, m: Match) -> None:
    current_trustpoint(ctx).crl_configure = False


@command(CONFIG, "crypto ca trustpool policy")
def trustpool_policy(ctx: CommandContext, m: Match) -> None:
    """Accepted; the virtual ASA keeps no trustpool (the line is printed whenever a
    trustpoint exists, as in every capture)."""
