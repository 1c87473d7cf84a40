"""``tunnel-group NAME type|general-attributes|webvpn-attributes|ipsec-attributes`` and the
attributes of each sub-mode (asa-cli.md sections 9.2 and 12).

``authentication`` lives only under webvpn-attributes, as the documented ASA has it; typed
under general-attributes (as the PingLabz article does) it is rejected with the caret.
"""

from __future__ import annotations

from lab.emulator.cli.commands._lines import remove_line, set_line
from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import TunnelGroup, WebvpnAuth

GENERAL_MODE = "config-tunnel-general"
WEBVPN_MODE = "config-tunnel-webvpn"
IPSEC_MODE = "config-tunnel-ipsec"

MAX_NAME = 64

#: [TOOL] NSA: printed for an ipsec-l2l tunnel-group whose name is not an IP address.
_L2L_NAME_WARNING = (
    "WARNING: For IKEv1, L2L tunnel-groups that have names which are not an IP",
    "address may only be used if the tunnel authentication",
    "method is Digital Certificates and/or The peer is",
    "configured to use Aggressive Mode",
)


def unknown_tunnel_group(name: str) -> CommandError:
    return CommandError(f"ERROR: tunnel-group {name} does not exist")


def _looks_like_ip(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


@command(CONFIG, "tunnel-group <name> type <kind:remote-access|ipsec-l2l>")
def tunnel_group_type(ctx: CommandContext, m: Match) -> None:
    name, kind = check_name(m, "name", MAX_NAME), m["kind"]
    existing = ctx.device.tunnel_group(name)
    if existing is not None:
        if existing.type != kind:
            raise CommandError(
                f"ERROR: tunnel-group {name} is of type {existing.type}; "
                "remove it before changing its type"
            )
        return
    if kind == "ipsec-l2l" and not _looks_like_ip(name):
        ctx.out(*_L2L_NAME_WARNING)
    ctx.device.tunnel_groups[name] = TunnelGroup(name, kind)  # type: ignore[arg-type]


@command(CONFIG, "no tunnel-group <name> [type <kind:remote-access|ipsec-l2l>]")
def no_tunnel_group(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    if ctx.device.tunnel_group(name) is None:
        raise unknown_tunnel_group(name)
    ctx.device.tunnel_groups.pop(name, None)
    settings = ctx.device.tunnel_group_map
    # Keep the configuration replayable: nothing may refer to a group that no longer exists.
    settings.entries = [e for e in settings.entries if e.tunnel_group != name]
    if settings.default_group == name:
        settings.default_group = None
        settings.default_group_sequence = None


def _materialised(ctx: CommandContext, name: str) -> TunnelGroup:
    """The configured group; an implicit default group becomes configured once entered."""
    group = ctx.device.tunnel_group(name)
    if group is None:
        raise unknown_tunnel_group(name)
    if group.implicit:
        group.implicit = False
        ctx.device.tunnel_groups[name] = group
    return group


@command(CONFIG, "tunnel-group <name> general-attributes")
def general_attributes(ctx: CommandContext, m: Match) -> None:
    _materialised(ctx, m["name"])
    ctx.session.enter(GENERAL_MODE, tunnel_group=m["name"])


@command(CONFIG, "tunnel-group <name> webvpn-attributes")
def webvpn_attributes(ctx: CommandContext, m: Match) -> None:
    group = ctx.device.tunnel_group(m["name"])
    if group is None:
        raise unknown_tunnel_group(m["name"])
    if group.type == "ipsec-l2l":
        raise CommandError(f"ERROR: tunnel-group {group.name} is not a remote-access tunnel-group")
    _materialised(ctx, m["name"])
    ctx.session.enter(WEBVPN_MODE, tunnel_group=m["name"])


@command(CONFIG, "tunnel-group <name> ipsec-attributes")
def ipsec_attributes(ctx: CommandContext, m: Match) -> None:
    _materialised(ctx, m["name"])
    ctx.session.enter(IPSEC_MODE, tunnel_group=m["name"])


@command(
    CONFIG,
    "no tunnel-group <name> <section:general-attributes|webvpn-attributes|ipsec-attributes>",
)
def no_tunnel_group_section(ctx: CommandContext, m: Match) -> None:
    """Back to the defaults of one attribute section; the group stays."""
    group = ctx.device.tunnel_group(m["name"])
    if group is None:
        raise unknown_tunnel_group(m["name"])
    fresh = TunnelGroup(group.name, group.type)
    section = m["section"]
    names: tuple[str, ...]
    if section == "general-attributes":
        names = (
            "address_pool",
            "default_group_policy",
            "authentication_server_group",
            "authorization_server_group",
            "username_from_certificate",
            "secondary_username_from_certificate",
            "strip_realm",
            "strip_group",
            "general_extra",
        )
    elif section == "webvpn-attributes":
        names = ("authentication", "group_aliases", "group_urls", "webvpn_extra")
    else:
        names = ("ipsec_lines",)
    for attribute in names:
        setattr(group, attribute, getattr(fresh, attribute))


def current_group(ctx: CommandContext) -> TunnelGroup:
    return _materialised(ctx, ctx.mode.context["tunnel_group"])


# ---------------------------------------------------------------- general-attributes


@command(GENERAL_MODE, "address-pool <pools...>")
def address_pool(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).address_pool = " ".join(m["pools"].split())


@command(GENERAL_MODE, "no address-pool [<pools...>]")
def no_address_pool(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).address_pool = None


@command(GENERAL_MODE, "default-group-policy <policy>")
def default_group_policy(ctx: CommandContext, m: Match) -> None:
    if not ctx.device.group_policy_exists(m["policy"]):
        raise CommandError(f"ERROR: group-policy {m['policy']} does not exist")
    current_group(ctx).default_group_policy = m["policy"]


@command(GENERAL_MODE, "no default-group-policy [<policy>]")
def no_default_group_policy(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).default_group_policy = None


@command(GENERAL_MODE, "authentication-server-group <group...>")
def authentication_server_group(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).authentication_server_group = " ".join(m["group"].split())


@command(GENERAL_MODE, "no authentication-server-group [<group...>]")
def no_authentication_server_group(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).authentication_server_group = None


@command(GENERAL_MODE, "authorization-server-group <group...>")
def authorization_server_group(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).authorization_server_group = " ".join(m["group"].split())


@command(GENERAL_MODE, "no authorization-server-group [<group...>]")
def no_authorization_server_group(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).authorization_server_group = None


_CERT_FIELDS = "c|cn|dnq|ea|genq|gn|i|l|n|o|ou|ser|sn|sp|st|t|uid|upn|use-entire-name|use-script"


@command(
    GENERAL_MODE,
    f"username-from-certificate <primary:{_CERT_FIELDS}> [<secondary:{_CERT_FIELDS}>]",
)
def username_from_certificate(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).username_from_certificate = _cert_fields(m)


@command(GENERAL_MODE, "no username-from-certificate [<fields...>]")
def no_username_from_certificate(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).username_from_certificate = None


@command(
    GENERAL_MODE,
    f"secondary-username-from-certificate <primary:{_CERT_FIELDS}> [<secondary:{_CERT_FIELDS}>]",
)
def secondary_username_from_certificate(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).secondary_username_from_certificate = _cert_fields(m)


@command(GENERAL_MODE, "no secondary-username-from-certificate [<fields...>]")
def no_secondary_username_from_certificate(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).secondary_username_from_certificate = None


def _cert_fields(m: Match) -> str:
    """Attribute names print upper-case (``CN OU``); the keyword forms stay lower-case."""
    words = m.present("primary", "secondary")
    return " ".join(w if w.startswith("use-") else w.upper() for w in words)


@command(GENERAL_MODE, "authentication <method...>", hidden=True)
def misplaced_authentication(ctx: CommandContext, m: Match) -> None:
    """``authentication`` is a webvpn-attributes command (CMD72, CFG98, STIG); the PingLabz
    article types it here. What a real ASA prints is not captured; asa-cli.md section 12
    decides: the caret under ``authentication`` [RECONSTRUCTED]."""
    raise InvalidArgumentError(m.line.index("authentication"))


@command(GENERAL_MODE, "strip-realm")
def strip_realm(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).strip_realm = True


@command(GENERAL_MODE, "no strip-realm")
def no_strip_realm(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).strip_realm = False


@command(GENERAL_MODE, "strip-group")
def strip_group(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).strip_group = True


@command(GENERAL_MODE, "no strip-group")
def no_strip_group(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).strip_group = False


@command(GENERAL_MODE, "accounting-server-group <group...>", "password-management [<options...>]")
def general_other(ctx: CommandContext, m: Match) -> None:
    set_line(current_group(ctx).general_extra, " ".join(m.line.split()))


@command(GENERAL_MODE, "no <attribute:accounting-server-group|password-management> [<rest...>]")
def no_general_other(ctx: CommandContext, m: Match) -> None:
    remove_line(current_group(ctx).general_extra, m["attribute"])


# ---------------------------------------------------------------- webvpn-attributes


@command(
    WEBVPN_MODE,
    "authentication aaa [certificate]",
    "authentication certificate [aaa]",
    "authentication saml",
)
def authentication(ctx: CommandContext, m: Match) -> None:
    method: WebvpnAuth
    if m.has("saml"):
        method = "saml"
    elif m.has("aaa") and m.has("certificate"):
        method = "aaa certificate"
    elif m.has("certificate"):
        method = "certificate"
    else:
        method = "aaa"
    current_group(ctx).authentication = method


@command(WEBVPN_MODE, "no authentication [<method...>]")
def no_authentication(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).authentication = "aaa"


@command(WEBVPN_MODE, "group-alias <alias> [<state:enable|disable>]")
def group_alias(ctx: CommandContext, m: Match) -> None:
    if len(m["alias"]) > 31:
        raise InvalidArgumentError(m.line.index(m["alias"]))
    current_group(ctx).group_aliases[m["alias"]] = m.get("state", "enable") == "enable"


@command(WEBVPN_MODE, "no group-alias <alias> [<state:enable|disable>]")
def no_group_alias(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).group_aliases.pop(m["alias"], None)


@command(WEBVPN_MODE, "group-url <url> [<state:enable|disable>]")
def group_url(ctx: CommandContext, m: Match) -> None:
    url = m["url"]
    if not url.lower().startswith(("http://", "https://")) or len(url.split("/", 3)[2]) == 0:
        raise InvalidArgumentError(m.line.index(url))
    current_group(ctx).group_urls[url] = m.get("state", "enable") == "enable"


@command(WEBVPN_MODE, "no group-url <url> [<state:enable|disable>]")
def no_group_url(ctx: CommandContext, m: Match) -> None:
    current_group(ctx).group_urls.pop(m["url"], None)


@command(
    WEBVPN_MODE,
    "customization <name>",
    "dns-group <name>",
    "pre-fill-username <options...>",
    "secondary-pre-fill-username <options...>",
    "without-csd [<options...>]",
    "saml identity-provider <entity...>",
)
def webvpn_other(ctx: CommandContext, m: Match) -> None:
    set_line(current_group(ctx).webvpn_extra, " ".join(m.line.split()))


@command(
    WEBVPN_MODE,
    "no <attribute:customization|dns-group|pre-fill-username|secondary-pre-fill-username"
    "|without-csd|saml> [<rest...>]",
)
def no_webvpn_other(ctx: CommandContext, m: Match) -> None:
    remove_line(current_group(ctx).webvpn_extra, m["attribute"])


# ---------------------------------------------------------------- ipsec-attributes


@command(
    IPSEC_MODE,
    "ikev1 pre-shared-key <key...>",
    "ikev1 trust-point <trustpoint> [chain]",
    "ikev2 local-authentication certificate <trustpoint>",
    "ikev2 local-authentication pre-shared-key <key...>",
    "ikev2 remote-authentication <method...>",
    "peer-id-validate <how:req|cert|nocheck>",
    "chain",
    "isakmp keepalive <options...>",
)
def ipsec_attribute(ctx: CommandContext, m: Match) -> None:
    line = " ".join(m.line.split())
    trustpoint = m.get("trustpoint")
    if trustpoint is not None and trustpoint not in ctx.device.trustpoints:
        raise CommandError(f"ERROR: Trustpoint {trustpoint} does not exist.")
    first = line.split()[0]
    set_line(current_group(ctx).ipsec_lines, line, words=2 if first in ("ikev1", "ikev2") else 1)


@command(
    IPSEC_MODE,
    "no <ike:ikev1|ikev2> <attribute:pre-shared-key|trust-point|local-authentication"
    "|remote-authentication> [<rest...>]",
    "no <attribute:peer-id-validate|chain|isakmp> [<rest...>]",
)
def no_ipsec_attribute(ctx: CommandContext, m: Match) -> None:
    key = " ".join(filter(None, (m.get("ike"), m["attribute"])))
    remove_line(current_group(ctx).ipsec_lines, key)
