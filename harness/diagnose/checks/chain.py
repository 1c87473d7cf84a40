"""The CA certificates the ASA sends with its identity certificate."""

from __future__ import annotations

from cryptography import x509

from harness.diagnose import codes, fixes
from harness.diagnose.evidence import Evidence
from harness.diagnose.facts import Settings, describe, nameif, serving_trustpoint
from harness.diagnose.model import Diagnosis


def _trustpoint_for(ca_name: str) -> str:
    try:
        attributes = x509.Name.from_rfc4514_string(ca_name).get_attributes_for_oid(
            x509.NameOID.COMMON_NAME
        )
    except ValueError:
        attributes = []
    label = str(attributes[0].value) if attributes else "ISSUING-CA"
    return "".join(c if c.isalnum() else "-" for c in label.upper()).strip("-")[:40] or "CA"


def chain_incomplete(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    chain = evidence.chain
    if chain is None or chain.complete is not False or chain.missing_issuer is None:
        return []
    missing = chain.missing_issuer
    leaf = chain.certificates[0]
    last = chain.certificates[-1]
    served = len(chain.certificates)
    facts = (
        *(
            f"served #{i}: {describe(c)} issued by {c.issuer}"
            for i, c in enumerate(chain.certificates)
        ),
        f"missing issuer: {missing}",
    )
    serving = serving_trustpoint(evidence)
    if served == 1:
        fix = fixes.authenticate_ca(serving.name if serving else "<trustpoint>", missing, new=False)
    else:
        fix = fixes.authenticate_ca(_trustpoint_for(missing), missing, new=True)
    if chain.trusted is not None:
        return [
            Diagnosis(
                codes.CHAIN_INCOMPLETE,
                "failure",
                f"The ASA sends {served} certificate(s) ending at {last.subject}; its issuer "
                f"{missing} is neither sent nor among the trust anchors given, so clients see "
                "'unknown issuer' even with the root installed. Authenticate that CA on the ASA "
                "so that it is sent with the identity certificate.",
                fix,
                facts,
            )
        ]
    if served == 1:
        return [
            Diagnosis(
                codes.CHAIN_INCOMPLETE,
                "warning",
                f"The ASA sends only its identity certificate {describe(leaf)}; clients must "
                f"already hold its issuer {missing}. If that is an intermediate CA rather than "
                "a root in their trust store, they see 'unknown issuer'. (Give the root as a "
                "trust anchor to decide.)",
                fix,
                facts,
            )
        ]
    return [
        Diagnosis(
            codes.CHAIN_INCOMPLETE,
            "info",
            f"The chain ends at {last.subject}, whose issuer {missing} (normally the root) is "
            f"not sent: clients need {missing} in their trust store. (Give it as a trust "
            "anchor to check.)",
            fix,
            facts,
        )
    ]


def chain_order(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    chain = evidence.chain
    if chain is None or chain.order_ok is not False:
        return []
    certificates = chain.certificates
    breaks = [
        f"#{i + 1} {certificates[i + 1].subject} does not issue #{i} "
        f"(issuer {certificates[i].issuer})"
        for i in range(len(certificates) - 1)
        if certificates[i].issuer != certificates[i + 1].subject
    ]
    serving = serving_trustpoint(evidence)
    name = serving.name if serving else "<trustpoint>"
    return [
        Diagnosis(
            codes.CHAIN_ORDER,
            "warning",
            "The served certificates are not in issuing order: "
            + "; ".join(breaks)
            + ". TLS 1.2 requires each certificate to certify the one before it; strict "
            "clients fail.",
            (
                f"show crypto ca certificates {name}",
                "! keep only the chain of the identity certificate in this trustpoint:",
                f"crypto ca authenticate {name}",
            ),
            tuple(f"served #{i}: {describe(c)}" for i, c in enumerate(certificates)),
        )
    ]


def chain_untrusted(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    chain = evidence.chain
    if chain is None or chain.trusted is not False or chain.complete is False:
        return []
    ends = chain.ends_at or "an unknown certificate"
    return [
        Diagnosis(
            codes.CHAIN_UNTRUSTED,
            "failure",
            f"The served chain ends at {ends} but does not validate against the trust anchors "
            f"given: {chain.verification_error or 'no reason given'}. Clients that trust only "
            "those anchors reject it.",
            fixes.enroll_ca_signed(evidence.hostname, nameif(evidence)),
            (
                f"chain ends at: {ends}",
                f"verification error: {chain.verification_error}",
            ),
        )
    ]
