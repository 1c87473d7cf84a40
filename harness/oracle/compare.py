"""Each deviation between what the rules expect and what the wire showed, with both sides:
the expectation with the rule's explanation, the observation with its evidence."""

from __future__ import annotations

from collections.abc import Sequence

from harness.oracle.records import Deviation, ExpectedCell, Observation


def _chain_text(subjects: Sequence[str], digests: Sequence[str]) -> str:
    if not subjects:
        return "no certificate"
    parts = []
    for index, subject in enumerate(subjects):
        digest = f" (SHA-256 {digests[index][:16]}...)" if index < len(digests) else ""
        parts.append(f"[{index}] {subject}{digest}")
    return "; ".join(parts)


def _wire(observed: Observation) -> str:
    return (
        f"{observed.address}: served {_chain_text(observed.chain_subjects, observed.chain_sha256)}"
    )


def _served(expected: ExpectedCell, observed: Observation) -> list[Deviation]:
    identity = expected.identity
    if observed.served != identity.served:
        return [
            Deviation(
                "served-certificate",
                identity.served,
                observed.served or "nothing",
                identity.explanation,
                _wire(observed),
            )
        ]
    if identity.chain_sha256 and observed.chain_sha256 != identity.chain_sha256:
        return [
            Deviation(
                "served-chain",
                _chain_text(identity.chain_subjects, identity.chain_sha256),
                _chain_text(observed.chain_subjects, observed.chain_sha256),
                f"{identity.explanation}; the chain is the trustpoint's identity certificate "
                "followed by the CA certificates it holds",
                _wire(observed),
            )
        ]
    return []


def _request(expected: ExpectedCell, observed: Observation) -> list[Deviation]:
    request = expected.request
    if observed.client_cert_requested is None:
        return []
    if observed.client_cert_requested != request.requested:
        said = "asked" if observed.client_cert_requested else "did not ask"
        return [
            Deviation(
                "client-certificate-request",
                "requested" if request.requested else "not requested",
                "requested" if observed.client_cert_requested else "not requested",
                request.explanation,
                f"{observed.address}: the server {said} for a client certificate",
            )
        ]
    if request.requested and sorted(observed.client_ca_names) != sorted(request.ca_names):
        return [
            Deviation(
                "client-ca-names",
                "; ".join(request.ca_names) or "(empty)",
                "; ".join(observed.client_ca_names) or "(empty)",
                "the CertificateRequest names the CA certificates of the trustpoints that "
                "validate SSL clients",
                f"{observed.address}: acceptable CA list of the CertificateRequest",
            )
        ]
    return []


def _login(expected: ExpectedCell, observed: Observation) -> list[Deviation]:
    login = expected.login
    if login is None:
        return []
    found: list[Deviation] = []
    evidence = f"{observed.address}: AnyConnect {observed.outcome}" + (
        f" ({observed.error})" if observed.error else ""
    )
    if observed.outcome != login.outcome:
        found.append(
            Deviation(
                "outcome", login.outcome, observed.outcome or "none", login.explanation, evidence
            )
        )
    if observed.tunnel_group is not None and observed.tunnel_group != login.tunnel_group:
        found.append(
            Deviation(
                "tunnel-group",
                login.tunnel_group,
                observed.tunnel_group,
                login.explanation,
                f"{evidence}; tunnel-group from the {observed.tunnel_group_source}",
            )
        )
    return found


def compare(expected: ExpectedCell, observed: Observation) -> tuple[Deviation, ...]:
    if not observed.handshake_ok:
        return (
            Deviation(
                "handshake",
                "the TLS handshake completes",
                f"it fails: {observed.failure or observed.error or 'no reason given'}",
                "the interface has webvpn enabled; a client certificate is requested, never "
                "required at the TLS layer",
                f"{observed.address}",
            ),
        )
    return tuple(
        [*_served(expected, observed), *_request(expected, observed), *_login(expected, observed)]
    )


def unverified(expected: ExpectedCell, observed: Observation) -> tuple[str, ...]:
    """Expectations the observation could not confirm or refute."""
    notes: list[str] = []
    if observed.handshake_ok and observed.client_cert_requested is None:
        notes.append("whether a client certificate was requested could not be seen")
    if expected.login is not None and observed.handshake_ok and observed.tunnel_group is None:
        notes.append(f"the tunnel-group was not disclosed (expected {expected.login.tunnel_group})")
    return tuple(notes)
