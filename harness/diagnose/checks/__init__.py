"""One function per finding; each takes the evidence and settings, returns its diagnoses."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from harness.diagnose.checks import chain, client, config, device, identity, tunnel_group
from harness.diagnose.evidence import Evidence
from harness.diagnose.facts import Settings
from harness.diagnose.model import Diagnosis

Check = Callable[[Evidence, Settings], Sequence[Diagnosis]]

ALL_CHECKS: tuple[Check, ...] = (
    client.handshake_failed,
    identity.fqdn_mismatch,
    chain.chain_incomplete,
    chain.chain_order,
    chain.chain_untrusted,
    device.trustpoint_not_bound,
    identity.self_signed,
    device.clock_skew,
    identity.validity,
    client.client_cert_required,
    client.client_cert_rejected,
    client.client_cert_not_requested,
    client.client_ca_not_listed,
    tunnel_group.wrong_tunnel_group,
    config.article_form,
)
