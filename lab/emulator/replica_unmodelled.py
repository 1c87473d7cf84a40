"""Where a configuration line the virtual ASA does not model is kept, so that the replayed
device still shows it in ``show running-config`` (replicas, the oracle; docs/replica.md).

A rejected line inside a modelled block goes to that block's verbatim attribute lines
when the model has them (interface, trustpoint, webvpn, tunnel-group attribute blocks,
group-policy, username attributes); anywhere else it goes to ``Device.unmodelled_lines``
together with the lines that enclose it, so it replays into the same block. A rejected
top-level line goes to ``Device.unmodelled_lines``. The lines indented under any rejected
line belong to it: they are kept right after it, indentation kept, and never executed.
"""

from __future__ import annotations

from collections.abc import Callable

from lab.emulator.cli.context import ModeState
from lab.emulator.device import Device

#: Receives the lines indented under a kept line.
Sink = Callable[[str], None]

#: A certificate the chain block could not read: its hex lines were consumed by the paste,
#: so keeping the header alone would make the configuration unreadable.
_NOT_KEPT_MODES = frozenset({"config-cert-chain"})


class UnmodelledKeeper:
    def __init__(self, device: Device) -> None:
        self.device = device
        self._last_ancestors: list[str] | None = None

    def _unmodelled(self, line: str) -> None:
        self.device.unmodelled_lines.append(line.rstrip())

    def keep(self, mode: ModeState, ancestors: list[str], line: str) -> Sink | None:
        """Keep the rejected ``line``; return where the lines under it go (None: not kept)."""
        if not line.startswith(" "):
            self._last_ancestors = None
            self._unmodelled(line)
            return self._unmodelled
        if mode.name in _NOT_KEPT_MODES:
            return None
        found = self._attribute_lines(mode)
        if found is not None:
            lines, indent = found
            lines.append(line.rstrip()[indent:])
            return lambda child: lines.append(child.rstrip()[indent:])
        if ancestors != self._last_ancestors:
            self.device.unmodelled_lines.extend(ancestors)
            self._last_ancestors = list(ancestors)
        self._unmodelled(line)
        return self._unmodelled

    def _attribute_lines(self, mode: ModeState) -> tuple[list[str], int] | None:
        """The verbatim line list of the object ``mode`` edits, if the model has one, and
        the indentation show running-config prints its lines with."""
        device, context = self.device, mode.context
        if mode.name == "config-if":
            interface = device.interfaces.get(context.get("interface", ""))
            return (interface.extra_lines, 1) if interface is not None else None
        if mode.name == "config-ca-trustpoint":
            trustpoint = device.trustpoints.get(context.get("trustpoint", ""))
            return (trustpoint.extra_lines, 1) if trustpoint is not None else None
        if mode.name == "config-webvpn":
            return device.webvpn.extra_lines, 1
        if mode.name in ("config-tunnel-general", "config-tunnel-webvpn", "config-tunnel-ipsec"):
            group = device.tunnel_groups.get(context.get("tunnel_group", ""))
            if group is None:
                return None
            if mode.name == "config-tunnel-general":
                return group.general_extra, 1
            return (
                group.webvpn_extra if mode.name == "config-tunnel-webvpn" else group.ipsec_lines
            ), 1
        if mode.name in ("config-group-policy", "config-group-webvpn"):
            policy = device.group_policies.get(context.get("policy", ""))
            if policy is None:
                return None
            if mode.name == "config-group-policy":
                return policy.attribute_lines, 1
            return policy.webvpn_lines, 2
        if mode.name == "config-username":
            user = device.users.get(context.get("user", ""))
            return (user.attributes, 1) if user is not None else None
        return None
