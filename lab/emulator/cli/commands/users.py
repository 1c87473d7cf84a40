"""``username NAME password PASSWORD [privilege N]``: the local user database.

Only a PBKDF2 hash is kept ([TOOL] cisco-hashgen: ``$sha512$5000$<salt>$<key>``), so
``show running-config`` prints ``username NAME password <hash> pbkdf2 ...`` and a replay
of that line keeps the hash, which still verifies the password.
"""

from __future__ import annotations

from lab.emulator.cli.commands._lines import remove_line, set_line
from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import LocalUser, parse_pbkdf2_hash

USER_MODE = "config-username"
MAX_PASSWORD = 127


def _privilege(m: Match) -> int:
    level = m.get("level")
    return int(level) if level is not None else 2


@command(
    CONFIG,
    "username <name> password <password> [privilege <level:int:0-15>]",
    "username <name> password <password> <form:pbkdf2|encrypted|nt-encrypted> "
    "[privilege <level:int:0-15>]",
)
def username(ctx: CommandContext, m: Match) -> None:
    name, password = check_name(m, "name"), m["password"]
    form = m.get("form")
    if form is None:
        if len(password) > MAX_PASSWORD:
            raise InvalidArgumentError(m.line.index(password))
        user = LocalUser.with_password(name, password, _privilege(m))
    elif form == "pbkdf2":
        if parse_pbkdf2_hash(password) is None:
            raise InvalidArgumentError(m.line.index(password))
        user = LocalUser(name, password, _privilege(m))
    else:
        raise CommandError(
            f"ERROR: The virtual ASA keeps only pbkdf2 password hashes; "
            f"re-enter the password for {name} in clear text."
        )
    previous = ctx.device.users.get(name)
    if previous is not None:
        user.attributes = previous.attributes
    ctx.device.users[name] = user


@command(CONFIG, "username <name> nopassword [privilege <level:int:0-15>]")
def username_nopassword(ctx: CommandContext, m: Match) -> None:
    check_name(m, "name")
    previous = ctx.device.users.get(m["name"])
    user = LocalUser(m["name"], None, _privilege(m))
    if previous is not None:
        user.attributes = previous.attributes
    ctx.device.users[m["name"]] = user


@command(CONFIG, "no username <name> [<rest...>]")
def no_username(ctx: CommandContext, m: Match) -> None:
    if ctx.device.users.pop(m["name"], None) is None:
        raise CommandError(f"ERROR: User {m['name']} does not exist")


@command(CONFIG, "username <name> attributes")
def user_attributes(ctx: CommandContext, m: Match) -> None:
    if m["name"] not in ctx.device.users:
        raise CommandError(f"ERROR: User {m['name']} does not exist")
    ctx.session.enter(USER_MODE, user=m["name"])


def _user(ctx: CommandContext) -> LocalUser:
    name = ctx.mode.context["user"]
    user = ctx.device.users.get(name)
    if user is None:  # removed by another session while this one sat in its sub-mode
        raise CommandError(f"ERROR: User {name} does not exist")
    return user


@command(
    USER_MODE,
    "service-type <kind:admin|nas-prompt|remote-access>",
    "vpn-group-policy <policy>",
    "group-lock value <tunnel_group>",
    "vpn-tunnel-protocol <protocols...>",
)
def user_attribute(ctx: CommandContext, m: Match) -> None:
    policy = m.get("policy")
    if policy is not None and not ctx.device.group_policy_exists(policy):
        raise CommandError(f"ERROR: group-policy {policy} does not exist")
    set_line(_user(ctx).attributes, " ".join(m.line.split()))


@command(
    USER_MODE,
    "no <attribute:service-type|vpn-group-policy|group-lock|vpn-tunnel-protocol> [<rest...>]",
)
def no_user_attribute(ctx: CommandContext, m: Match) -> None:
    remove_line(_user(ctx).attributes, m["attribute"])
