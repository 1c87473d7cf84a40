"""The classes of client the configuration tells apart: the rows of the matrix.

* ``no-certificate``: the probe presents nothing;
* ``map:MAP:SEQ``, one per ``webvpn`` / ``certificate-group-map`` sequence: a certificate
  satisfying every criterion of that sequence (harness/oracle/synthesis.py);
* ``trusted``: a valid certificate that no map routes (when the device trusts a CA);
* ``unknown-ca``: a certificate from a CA the device does not trust.

A certificate the device must trust is issued by a CA whose key the harness holds and whose
certificate is one of the device's client CAs (a lab CA the scenario authenticated on the
device). Without such a CA the class is *described*: the report shows the certificate the
class needs and its cells are not probed, unless the user supplies a certificate for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import NameOID

from harness.oracle.model import OracleModel
from harness.oracle.records import ClientClass, ClientMaterial
from harness.oracle.synthesis import (
    ORGANISATION,
    CertificateFields,
    check,
    design_fields,
    failed_criteria,
    issue,
)
from harness.pki import CertificateAuthority, LabCA, generate_key
from harness.pki._keys import PrivateKey
from lab.emulator.device import CertificateGroupMap, CertificateMapEntry
from lab.rules.client_certificate import client_validation_cas, validate_client_certificate
from lab.rules.tunnel_group import select_tunnel_group
from probes.names import display_name

NO_CERTIFICATE = "no-certificate"
UNKNOWN_CA = "unknown-ca"
TRUSTED = "trusted"
UNKNOWN_CA_NAME = "asa-cert-harness oracle UNTRUSTED CA"


def map_class_id(entry: CertificateGroupMap) -> str:
    return f"map:{entry.map_name}:{entry.sequence}"


@dataclass(frozen=True)
class ClassInputs:
    """What the oracle may issue or present: CAs whose keys it holds, and certificates the
    user supplied per class id."""

    issuers: Sequence[CertificateAuthority] = ()
    supplied: Mapping[str, ClientMaterial] = field(default_factory=dict)


@dataclass(frozen=True)
class _Issuance:
    certificate: x509.Certificate
    material: ClientMaterial | None
    origin: str
    described: bool


class _Planner:
    def __init__(self, model: OracleModel, inputs: ClassInputs) -> None:
        self.model = model
        self.inputs = inputs
        self.key: PrivateKey = generate_key("ec256")
        self.device_cas = client_validation_cas(model.device)
        self.trusted = [ca for ca in inputs.issuers if self._trusted(ca)]
        self.notes: list[str] = []

    def _valid(self, certificate: x509.Certificate, chain: tuple[x509.Certificate, ...]) -> bool:
        verdict = validate_client_certificate(
            self.model.device, (certificate, *chain), self.model.at
        )
        return verdict.valid

    def _trusted(self, ca: CertificateAuthority) -> bool:
        probe = issue(ca, CertificateFields("oracle-issuer-check"), self.key)
        return self._valid(probe, ca.chain)

    def _look_alike(
        self, fields: CertificateFields, entry: CertificateMapEntry | None
    ) -> _Issuance:
        """A certificate with the right fields under the name of a CA the device trusts, but
        signed by a throwaway key: it shows what the class needs; it is never presented."""
        candidates = [ca.certificate.subject for ca in self.device_cas] or [
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "(no client CA on the device)")])
        ]
        chosen: x509.Certificate | None = None
        for subject in dict.fromkeys(candidates):
            stand_in_ca = LabCA(subject, key="ec256")
            certificate = issue(stand_in_ca, fields, self.key)
            if entry is None or check(entry, certificate).matched:
                chosen = certificate
                break
            chosen = chosen or certificate
        assert chosen is not None
        issuer = display_name(chosen.issuer)
        return _Issuance(
            chosen,
            None,
            f"described: a certificate issued by {issuer}, a CA whose key the harness does "
            "not hold; its cells are not probed unless a certificate is supplied for the class",
            True,
        )

    def _issued(self, fields: CertificateFields, entry: CertificateMapEntry | None) -> _Issuance:
        for ca in self.trusted:
            certificate = issue(ca, fields, self.key)
            if entry is None or check(entry, certificate).matched:
                material = ClientMaterial(certificate, self.key, ca.chain)
                origin = f"synthetic, issued by the lab CA {display_name(ca.certificate.subject)}"
                return _Issuance(certificate, material, origin, False)
        return self._look_alike(fields, entry)

    def _supplied(self, class_id: str) -> _Issuance | None:
        material = self.inputs.supplied.get(class_id)
        if material is None:
            return None
        return _Issuance(material.certificate, material, "supplied by the user", False)

    def map_class(self, entry: CertificateGroupMap) -> ClientClass | None:
        class_id = map_class_id(entry)
        text = (
            f"webvpn certificate-group-map {entry.map_name} {entry.sequence} {entry.tunnel_group}"
        )
        configured = self.model.device.certificate_maps.get((entry.map_name, entry.sequence))
        label = f"certificate map {entry.map_name} {entry.sequence} -> {entry.tunnel_group}"
        if configured is None:
            self.notes.append(
                f"'{text}' names an undefined sequence: no certificate can match it (no class)"
            )
            return None
        needs = tuple(f"{r.config_line()}" for r in configured.rules) or (
            "any certificate (the sequence has no criteria)",
        )
        common_name = f"oracle-{entry.map_name}-{entry.sequence}".lower()
        try:
            fields = design_fields(configured, common_name)
            issued = self._supplied(class_id) or self._issued(fields, configured)
        except ValueError as error:
            return ClientClass(
                class_id,
                label,
                "map",
                needs,
                f"no certificate can be built for it: {error}",
                map_entry=text,
                described=True,
            )
        result = check(configured, issued.certificate)
        origin = issued.origin
        if not result.matched:
            origin += "; it does not satisfy the sequence: " + "; ".join(failed_criteria(result))
        return ClientClass(
            class_id,
            label,
            "map",
            needs,
            origin,
            issued.certificate,
            issued.material,
            issued.described,
            text,
        )

    def trusted_class(self) -> ClientClass | None:
        if not self.device_cas:
            return None
        fields = CertificateFields("oracle-unmapped-client")
        fields.attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION))
        issued = self._supplied(TRUSTED) or self._issued(fields, None)
        decision = select_tunnel_group(
            self.model.device,
            client_certificate=issued.certificate,
            group_url=None,
            group_select=None,
        )
        if decision.decided_by == "certificate-map" and TRUSTED not in self.inputs.supplied:
            self.notes.append(
                f"every certificate is routed by a map ({decision.deciding_rule.rule}): no "
                "'trusted, unmapped' class"
            )
            return None
        return ClientClass(
            TRUSTED,
            "trusted certificate that no map routes",
            "trusted",
            ("issued by a CA the device trusts", "no certificate map matches it"),
            issued.origin,
            issued.certificate,
            issued.material,
            issued.described,
        )

    def unknown_ca_class(self) -> ClientClass:
        supplied = self._supplied(UNKNOWN_CA)
        if supplied is None:
            ca = LabCA(UNKNOWN_CA_NAME, key="ec256")
            certificate = issue(ca, CertificateFields("oracle-unknown-ca-client"), self.key)
            material = ClientMaterial(certificate, self.key, ca.chain)
            supplied = _Issuance(
                certificate, material, f"synthetic, issued by {UNKNOWN_CA_NAME}", False
            )
        return ClientClass(
            UNKNOWN_CA,
            "certificate from a CA the device does not trust",
            "unknown-ca",
            ("issued by a CA no trustpoint holds",),
            supplied.origin,
            supplied.certificate,
            supplied.material,
        )


def plan_classes(
    model: OracleModel, inputs: ClassInputs
) -> tuple[tuple[ClientClass, ...], tuple[str, ...]]:
    """The rows of the matrix, in rule order, and notes about classes left out."""
    planner = _Planner(model, inputs)
    classes: list[ClientClass] = [
        ClientClass(
            NO_CERTIFICATE,
            "no client certificate",
            "no-certificate",
            ("no certificate",),
            "the probe presents no certificate",
        ),
    ]
    entries = sorted(model.device.webvpn.certificate_group_maps, key=lambda e: e.sequence)
    for entry in entries:
        found = planner.map_class(entry)
        if found is not None:
            classes.append(found)
    trusted = planner.trusted_class()
    if trusted is not None:
        classes.append(trusted)
    classes.append(planner.unknown_ca_class())
    return tuple(classes), tuple(planner.notes)
