"""Which tunnel-group (connection profile) an SSL/AnyConnect client lands on.

anyconnect-protocol.md section 9, default order:

1. ``webvpn`` / ``certificate-group-map MAP SEQ TG`` matching the client certificate, lowest
   sequence first (asa-cli.md section 10.2);
2. the ``group-url`` the client asked for (``<group-access>``, else the request URL);
3. the ``<group-select>`` alias the client sent;
4. ``DefaultWEBVPNGroup``.

``tunnel-group-preference group-url`` in webvpn swaps 1 and 2. A ``<group-select>`` cannot
override 1 or 2 [INFERENCE, emulator default]. The global ``tunnel-group-map MAP SEQ TG``
routes IKE connections only (asa-cli.md section 11): it never selects an SSL group, and the
decision says so when such a map would have matched.

Pure functions of (Device, inputs): the listener and the oracle both call them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from cryptography import x509

from lab.emulator.device import CertificateGroupMap, Device, TunnelGroup
from lab.rules.certificate_map import evaluate_sequence
from lab.rules.group_url import parse_group_url

Rank = Literal["certificate-map", "group-url", "group-select", "default"]

DEFAULT_SSL_GROUP = "DefaultWEBVPNGroup"
SSL_GROUP_TYPES = ("remote-access", "webvpn")


@dataclass(frozen=True)
class RuleConsidered:
    """One rule looked at while choosing, and why it matched or not."""

    rank: Rank
    rule: str
    matched: bool
    reason: str
    tunnel_group: str | None = None


@dataclass(frozen=True)
class TunnelGroupDecision:
    tunnel_group: str
    decided_by: Rank
    group_alias: str | None
    order: tuple[Rank, ...]
    considered: tuple[RuleConsidered, ...]
    notes: tuple[str, ...] = ()

    @property
    def deciding_rule(self) -> RuleConsidered:
        return next(r for r in self.considered if r.rank == self.decided_by and r.matched)

    @property
    def client_may_choose(self) -> bool:
        """Whether a later ``<group-select>`` may still move the client (only when neither a
        certificate map nor a group-url fixed the group)."""
        return self.decided_by in ("group-select", "default")

    @property
    def explanation(self) -> str:
        lines = [
            f"tunnel-group {self.tunnel_group} chosen by {self.decided_by} "
            f"({self.deciding_rule.rule}); order: {' > '.join(self.order)}"
        ]
        for rule in self.considered:
            mark = "MATCH" if rule.matched else "no match"
            lines.append(f"  [{rule.rank}] {rule.rule}: {mark} - {rule.reason}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def ssl_group(device: Device, name: str) -> TunnelGroup | None:
    """The tunnel-group ``name`` if an SSL client can use it."""
    group = device.tunnel_group(name)
    return group if group is not None and group.type in SSL_GROUP_TYPES else None


def ssl_groups(device: Device) -> list[TunnelGroup]:
    return [g for g in device.all_tunnel_groups() if g.type in SSL_GROUP_TYPES]


def _by_sequence(entries: list[CertificateGroupMap]) -> list[CertificateGroupMap]:
    # Lowest sequence first; the same sequence under two map names keeps config order.
    return sorted(entries, key=lambda e: e.sequence)


def _certificate_map_rules(
    device: Device, certificate: x509.Certificate | None
) -> Iterator[RuleConsidered]:
    entries = _by_sequence(device.webvpn.certificate_group_maps)
    if not entries:
        yield RuleConsidered(
            "certificate-map",
            "webvpn certificate-group-map",
            False,
            "no certificate-group-map is configured under webvpn",
        )
        return
    for entry in entries:
        text = (
            f"webvpn certificate-group-map {entry.map_name} {entry.sequence} {entry.tunnel_group}"
        )
        if certificate is None:
            yield RuleConsidered(
                "certificate-map",
                text,
                False,
                "no valid client certificate on this connection",
                entry.tunnel_group,
            )
            continue
        configured = device.certificate_maps.get((entry.map_name, entry.sequence))
        result = evaluate_sequence(configured, entry.map_name, entry.sequence, certificate)
        matched = result.matched
        reason = result.reason
        if matched and ssl_group(device, entry.tunnel_group) is None:
            matched = False
            reason += f"; but tunnel-group {entry.tunnel_group} is not a remote-access group"
        yield RuleConsidered("certificate-map", text, matched, reason, entry.tunnel_group)


def _group_url_rules(device: Device, group_url: str | None) -> Iterator[RuleConsidered]:
    configured = [
        (g, url, enabled) for g in ssl_groups(device) for url, enabled in g.group_urls.items()
    ]
    if group_url is None:
        yield RuleConsidered("group-url", "group-url", False, "the client named no URL")
        return
    wanted = parse_group_url(group_url)
    if not configured:
        yield RuleConsidered(
            "group-url",
            "group-url",
            False,
            f"no tunnel-group has a group-url (client asked for {group_url})",
        )
        return
    for group, url, enabled in configured:
        state = "enable" if enabled else "disable"
        text = f"tunnel-group {group.name} group-url {url} {state}"
        candidate = parse_group_url(url)
        same = wanted is not None and candidate == wanted
        if same and not enabled:
            reason = f"{group_url} is this URL, but it is disabled"
        elif same:
            reason = f"{group_url} is this URL (scheme, host, port and path)"
        else:
            reason = f"{group_url} is a different URL"
        yield RuleConsidered("group-url", text, same and enabled, reason, group.name)


def _group_select_rules(device: Device, group_select: str | None) -> Iterator[RuleConsidered]:
    if group_select is None:
        yield RuleConsidered(
            "group-select", "<group-select>", False, "the client selected no group"
        )
        return
    owners = [
        (g, enabled)
        for g in ssl_groups(device)
        for alias, enabled in g.group_aliases.items()
        if alias == group_select
    ]
    if not owners:
        yield RuleConsidered(
            "group-select",
            f"<group-select>{group_select}",
            False,
            f"no tunnel-group has the alias {group_select!r}",
        )
        return
    for group, enabled in owners:
        state = "enable" if enabled else "disable"
        text = f"tunnel-group {group.name} group-alias {group_select} {state}"
        reason = "the client selected this alias" + ("" if enabled else ", but it is disabled")
        yield RuleConsidered("group-select", text, enabled, reason, group.name)


def _ike_map_notes(device: Device, certificate: x509.Certificate | None) -> Iterator[str]:
    settings = device.tunnel_group_map
    for entry in settings.entries:
        text = f"tunnel-group-map {entry.map_name} {entry.sequence} {entry.tunnel_group}"
        if certificate is None:
            yield f"'{text}' is configured; it routes IKE (IPsec) connections only, never SSL"
            continue
        configured = device.certificate_maps.get((entry.map_name, entry.sequence))
        if evaluate_sequence(configured, entry.map_name, entry.sequence, certificate).matched:
            yield (
                f"'{text}' matches this certificate, but tunnel-group-map selects groups for "
                "IKE (IPsec) connections only; an SSL/AnyConnect client is routed only by "
                f"'webvpn' / 'certificate-group-map {entry.map_name} {entry.sequence} "
                f"{entry.tunnel_group}' (asa-cli.md section 11), so it does not land on "
                f"{entry.tunnel_group} through this map"
            )
    if settings.default_group is not None:
        yield f"'tunnel-group-map default-group {settings.default_group}' applies to IKE only"


def _alias_of(group: TunnelGroup, decided_by: Rank, group_select: str | None) -> str | None:
    if decided_by == "group-select" and group_select is not None:
        return group_select
    return group.enabled_aliases[0] if group.enabled_aliases else None


def select_tunnel_group(
    device: Device,
    *,
    client_certificate: x509.Certificate | None,
    group_url: str | None,
    group_select: str | None,
) -> TunnelGroupDecision:
    """Choose the tunnel-group for an SSL client.

    ``client_certificate`` is the leaf the client presented *and* that
    ``validate_client_certificate`` accepted (an unvalidated certificate routes nothing);
    ``group_url`` is the ``<group-access>`` URL, else the URL of the request;
    ``group_select`` is the alias in ``<group-select>``.
    """
    order: tuple[Rank, ...] = (
        ("group-url", "certificate-map", "group-select")
        if device.webvpn.prefer_group_url
        else ("certificate-map", "group-url", "group-select")
    )
    by_rank: dict[Rank, list[RuleConsidered]] = {
        "certificate-map": list(_certificate_map_rules(device, client_certificate)),
        "group-url": list(_group_url_rules(device, group_url)),
        "group-select": list(_group_select_rules(device, group_select)),
    }
    considered = [rule for rank in order for rule in by_rank[rank]]
    winner = next((rule for rule in considered if rule.matched), None)
    name: str
    decided_by: Rank
    if winner is None or winner.tunnel_group is None:
        considered.append(
            RuleConsidered(
                "default", DEFAULT_SSL_GROUP, True, "no earlier rule matched", DEFAULT_SSL_GROUP
            )
        )
        name, decided_by = DEFAULT_SSL_GROUP, "default"
    else:
        name, decided_by = winner.tunnel_group, winner.rank
    group = ssl_group(device, name)
    assert group is not None  # winners are checked to be SSL groups; the default always is
    return TunnelGroupDecision(
        tunnel_group=name,
        decided_by=decided_by,
        group_alias=_alias_of(group, decided_by, group_select),
        order=(*order, "default"),
        considered=tuple(considered),
        notes=tuple(_ike_map_notes(device, client_certificate)),
    )
