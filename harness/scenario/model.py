"""The scenario language (reference: docs/scenarios.md). Validated with pydantic.

A scenario is the configuration a network engineer would type, then what must be true:

    name: Self-signed identity certificate
    steps:
      - configure: |
          crypto ca trustpoint TP
           enrollment self
      - probe: {interface: outside, sni: vpn.example.lab, expect: {hostname_match: true}}
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

KeySpecName = Literal["rsa1024", "rsa2048", "rsa3072", "rsa4096", "ec256", "ec384", "ec521"]
DiagnosisCode = Literal[
    "FQDN_MISMATCH",
    "CHAIN_INCOMPLETE",
    "TRUSTPOINT_NOT_BOUND",
    "SELF_SIGNED",
    "CLOCK_SKEW",
    "EXPIRING",
    "CLIENT_CERT_NOT_REQUESTED",
    "WRONG_TUNNEL_GROUP",
    "ARTICLE_FORM",
]
_TIME = re.compile(
    r"^(now|[+-]\d+[smhdw]|\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?)$"
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepBase(Strict):
    """Every step has exactly one step keyword and may have a ``name`` for the report."""

    name: str | None = None

    @property
    def kind(self) -> str:
        return next(k for k in STEP_TYPES if k in type(self).model_fields)

    @property
    def title(self) -> str:
        return self.name or self.kind.replace("_", " ")


def _check_time(value: str | None) -> str | None:
    if value is not None and not _TIME.match(value.strip()):
        raise ValueError(
            "a time is 'now', a relative offset like '+30d', '-2h', '+1w', or an ISO date/time "
            "like '2030-01-01T00:00:00Z'"
        )
    return value


# ---------------------------------------------------------------- lab PKI


class CaSpec(Strict):
    """A CA of the lab PKI. Without ``issuer`` it is a self-signed root."""

    name: str
    subject: str | dict[str, str | list[str]]
    issuer: str | None = None
    key: KeySpecName = "rsa2048"
    not_before: str | None = None
    not_after: str | None = None

    _times = field_validator("not_before", "not_after")(_check_time)


class CertificateSpec(Strict):
    """An end-entity certificate (server or client) issued by a lab CA."""

    name: str
    issuer: str
    subject: str | dict[str, str | list[str]]
    kind: Literal["client", "server"] = "client"
    sans: list[str] = Field(default_factory=list)
    eku: list[str] | None = None
    key: KeySpecName = "rsa2048"
    not_before: str | None = None
    not_after: str | None = None
    valid_days: int = Field(default=365, ge=1, le=36500)

    _times = field_validator("not_before", "not_after")(_check_time)


class PkiSpec(Strict):
    cas: list[CaSpec] = Field(default_factory=list)
    certificates: list[CertificateSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> PkiSpec:
        names: list[str] = []
        for ca in self.cas:
            if ca.issuer is not None and ca.issuer not in names:
                raise ValueError(
                    f"CA {ca.name!r}: issuer {ca.issuer!r} must be a CA listed before it"
                )
            names.append(ca.name)
        for certificate in self.certificates:
            if certificate.issuer not in names:
                raise ValueError(
                    f"certificate {certificate.name!r}: issuer {certificate.issuer!r} is not a CA "
                    f"of this scenario (known: {', '.join(names) or 'none'})"
                )
        all_names = names + [c.name for c in self.certificates]
        duplicates = {n for n in all_names if all_names.count(n) > 1}
        if duplicates:
            raise ValueError(f"PKI names must be unique: {', '.join(sorted(duplicates))}")
        return self


# ---------------------------------------------------------------- step payloads


class ConfigureExpect(Strict):
    rejected: list[str] = Field(default_factory=list)
    diagnoses: list[DiagnosisCode] = Field(default_factory=list)


class ConfigureStep(StepBase):
    configure: str | list[str]
    answers: dict[str, str] = Field(default_factory=dict)
    expect: ConfigureExpect = Field(default_factory=ConfigureExpect)


class ExecExpect(Strict):
    contains: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    error: bool = False


class ExecStep(StepBase):
    exec: str | list[str]
    answers: dict[str, str] = Field(default_factory=dict)
    expect: ExecExpect = Field(default_factory=ExecExpect)


class EnrollPayload(Strict):
    trustpoint: str
    noconfirm: bool = False
    include_serial_number: bool = False
    capture: str | None = Field(default=None, description="save the printed CSR under this name")


class EnrollStep(StepBase):
    enroll: EnrollPayload


class SignCsrPayload(Strict):
    csr: str
    ca: str
    save_as: str
    sans: list[str] | None = None
    eku: list[str] = Field(default_factory=lambda: ["serverAuth"])
    valid_days: int = Field(default=365, ge=1, le=36500)
    not_before: str | None = None
    not_after: str | None = None

    _times = field_validator("not_before", "not_after")(_check_time)


class SignCsrStep(StepBase):
    sign_csr: SignCsrPayload


class AuthenticatePayload(Strict):
    trustpoint: str
    ca: str | None = None
    chain: list[str] | None = None
    pem_file: str | None = None
    accept: bool = True
    expect_subordinate_notice: bool | None = None
    expect_error: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> AuthenticatePayload:
        if sum(x is not None for x in (self.ca, self.chain, self.pem_file)) != 1:
            raise ValueError(
                "give exactly one of: ca (a lab CA name), chain (list of names), pem_file"
            )
        return self


class AuthenticateStep(StepBase):
    authenticate: AuthenticatePayload


class ImportCertificatePayload(Strict):
    trustpoint: str
    certificate: str | None = None
    pem_file: str | None = None
    expect_error: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> ImportCertificatePayload:
        if (self.certificate is None) == (self.pem_file is None):
            raise ValueError(
                "give exactly one of: certificate (a signed or lab certificate name), pem_file"
            )
        return self


class ImportCertificateStep(StepBase):
    import_certificate: ImportCertificatePayload


class ImportPkcs12Payload(Strict):
    trustpoint: str
    file: str | None = None
    passphrase_env: str | None = None
    identity: str | None = Field(default=None, description="a lab certificate, exported as PKCS#12")
    replace_keys: bool = True
    include_chain: bool = Field(
        default=True, description="put the lab identity's CA chain in the bundle"
    )
    expect_error: bool = False

    @model_validator(mode="after")
    def _source(self) -> ImportPkcs12Payload:
        if (self.file is None) == (self.identity is None):
            raise ValueError(
                "give exactly one of: file (with passphrase_env) or identity (a lab certificate)"
            )
        if self.file is not None and not self.passphrase_env:
            raise ValueError(
                "a PKCS#12 file needs passphrase_env: the environment variable holding "
                "its passphrase"
            )
        return self


class ImportPkcs12Step(StepBase):
    import_pkcs12: ImportPkcs12Payload


class RecordExpect(Strict):
    """Expectations on the records a show command parses into."""

    records: list[dict[str, Any]] = Field(default_factory=list)
    absent: list[dict[str, Any]] = Field(default_factory=list)
    count: int | None = None
    contains: list[str] = Field(default_factory=list)


class ExpectShowPayload(Strict):
    command: str
    expect: RecordExpect

    @field_validator("command")
    @classmethod
    def _is_show(cls, value: str) -> str:
        if not value.strip().lower().startswith(("sh", "more ")):
            raise ValueError(
                "expect_show runs a show command (e.g. 'show crypto ca certificates TP')"
            )
        return value


class ExpectShowStep(StepBase):
    expect_show: ExpectShowPayload


class AnyConnectOptions(Strict):
    group_url: str | None = None
    group: str | None = None


class ProbeExpect(Strict):
    handshake_ok: bool | None = None
    served_trustpoint: str | None = None
    leaf_common_name: str | None = None
    hostname_match: bool | None = None
    self_signed: bool | None = None
    chain_complete: bool | None = None
    chain_length: int | None = None
    trusted: bool | None = None
    missing_issuer: str | None = None
    valid: bool | None = None
    days_left_min: int | None = None
    client_cert_requested: bool | None = None
    client_ca_names_include: list[str] = Field(default_factory=list)
    outcome: (
        Literal[
            "auth-request",
            "complete",
            "client-cert-request",
            "cert-validation-failure",
            "error",
            "not-anyconnect",
        ]
        | None
    ) = None
    tunnel_group: str | None = None
    group_alias: str | None = None
    diagnoses: list[DiagnosisCode] = Field(default_factory=list)
    absent_diagnoses: list[DiagnosisCode] = Field(default_factory=list)


class ProbeIntent(Strict):
    """What the configuration is meant to achieve; diagnoses compare the wire with it even
    when the scenario expects the fault (a gotcha scenario)."""

    tunnel_group: str | None = None
    client_cert_requested: bool | None = None


class ProbePayload(Strict):
    interface: str | None = None
    address: str | None = None
    sni: str | None = None
    hostname: str | None = None
    client: str | None = Field(
        default=None, description="a lab certificate presented by the client"
    )
    trust: list[str] = Field(default_factory=list, description="lab CA names the client trusts")
    anyconnect: AnyConnectOptions | None = None
    timeout: float = Field(default=5.0, gt=0, le=120)
    profile: Literal["lab", "production"] = "lab"
    intent: ProbeIntent = Field(default_factory=ProbeIntent)
    expect: ProbeExpect = Field(default_factory=ProbeExpect)

    @model_validator(mode="after")
    def _where(self) -> ProbePayload:
        if (self.interface is None) == (self.address is None):
            raise ValueError(
                "give exactly one of: interface (a nameif such as outside) or address (HOST:PORT)"
            )
        return self


class ProbeStep(StepBase):
    probe: ProbePayload


class ClockPayload(Strict):
    set: str | None = None
    offset: str | None = None
    timezone: str | None = None

    _times = field_validator("set", "offset")(_check_time)

    @model_validator(mode="after")
    def _one(self) -> ClockPayload:
        if (self.set is None) == (self.offset is None) and self.timezone is None:
            raise ValueError(
                "give set (an ISO date/time) or offset (e.g. '+400d', '-1d') and/or timezone"
            )
        return self


class ClockStep(StepBase):
    clock: ClockPayload


class WriteMemoryStep(StepBase):
    write_memory: bool | dict[str, Any] = True


class ReloadPayload(Strict):
    save: bool = False


class ReloadStep(StepBase):
    reload: ReloadPayload = Field(default_factory=ReloadPayload)


class RotatePayload(Strict):
    """The article's seven rotation steps as one step, with verification and rollback."""

    interface: str
    old_trustpoint: str
    new_trustpoint: str
    keypair: str
    key: Literal["rsa2048", "rsa3072", "rsa4096", "ec256", "ec384"] = "rsa2048"
    fqdn: str
    subject: str
    ca: str = Field(description="the lab CA that signs the new certificate")
    authenticate: list[str] = Field(
        default_factory=list,
        description="lab CA names to authenticate on the new trustpoint (issuer first)",
    )
    valid_days: int = 365
    sni: str | None = None
    trust: list[str] = Field(default_factory=list)
    verify: ProbeExpect = Field(default_factory=ProbeExpect)
    delete_old: bool = False
    expect_rollback: bool = False
    break_new_certificate: Literal["wrong_hostname", "expired", None] = None


class RotateStep(StepBase):
    rotate: RotatePayload


DeviationAspect = Literal[
    "handshake",
    "served-certificate",
    "served-chain",
    "client-certificate-request",
    "client-ca-names",
    "outcome",
    "tunnel-group",
]


class ExpectedDeviation(Strict):
    """A deviation the audit must report; every key given must match (``sni: null`` names
    the column without SNI)."""

    interface: str | None = None
    sni: str | None = None
    client: str | None = Field(
        default=None, description="a class id: no-certificate, unknown-ca, trusted, map:MAP:SEQ"
    )
    aspect: DeviationAspect | None = None
    expected: str | None = None
    observed: str | None = None


class AuditExpect(Strict):
    deviations: int | list[ExpectedDeviation] = Field(
        default=0, description="how many deviations, or exactly which"
    )

    @field_validator("deviations")
    @classmethod
    def _not_negative(cls, value: int | list[ExpectedDeviation]) -> int | list[ExpectedDeviation]:
        if isinstance(value, int) and value < 0:
            raise ValueError("a number of deviations is 0 or more")
        return value


class AuditPayload(Strict):
    """The oracle: expected wire behaviour from the running-config, then every combination
    probed (docs/oracle.md)."""

    interfaces: list[str] | None = None
    sni: list[str | None] | None = Field(
        default=None, description="SNI columns to audit; null is the column without SNI"
    )
    clients: dict[str, str] = Field(
        default_factory=dict, description="class id -> a lab certificate to present for it"
    )
    config_file: str | None = Field(
        default=None, description="compute the expectations from this configuration instead"
    )
    timeout: float = Field(default=5.0, gt=0, le=120)
    expect: AuditExpect = Field(default_factory=AuditExpect)


class AuditStep(StepBase):
    audit: AuditPayload = Field(default_factory=AuditPayload)


STEP_TYPES: dict[str, type[Strict]] = {
    "configure": ConfigureStep,
    "exec": ExecStep,
    "enroll": EnrollStep,
    "sign_csr": SignCsrStep,
    "authenticate": AuthenticateStep,
    "import_certificate": ImportCertificateStep,
    "import_pkcs12": ImportPkcs12Step,
    "expect_show": ExpectShowStep,
    "probe": ProbeStep,
    "clock": ClockStep,
    "write_memory": WriteMemoryStep,
    "reload": ReloadStep,
    "rotate": RotateStep,
    "audit": AuditStep,
}


def _step_kind(data: Any) -> str | None:
    if isinstance(data, StepBase):
        return data.kind
    if not isinstance(data, dict):
        return None
    kinds = [key for key in data if key in STEP_TYPES]
    return kinds[0] if len(kinds) == 1 else None


Step = Annotated[
    Annotated[ConfigureStep, Tag("configure")]
    | Annotated[ExecStep, Tag("exec")]
    | Annotated[EnrollStep, Tag("enroll")]
    | Annotated[SignCsrStep, Tag("sign_csr")]
    | Annotated[AuthenticateStep, Tag("authenticate")]
    | Annotated[ImportCertificateStep, Tag("import_certificate")]
    | Annotated[ImportPkcs12Step, Tag("import_pkcs12")]
    | Annotated[ExpectShowStep, Tag("expect_show")]
    | Annotated[ProbeStep, Tag("probe")]
    | Annotated[ClockStep, Tag("clock")]
    | Annotated[WriteMemoryStep, Tag("write_memory")]
    | Annotated[ReloadStep, Tag("reload")]
    | Annotated[RotateStep, Tag("rotate")]
    | Annotated[AuditStep, Tag("audit")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step needs exactly one of: " + ", ".join(STEP_TYPES),
    ),
]


class Scenario(Strict):
    name: str
    description: str = ""
    target: str = "embedded"
    tags: list[str] = Field(default_factory=list)
    pki: PkiSpec = Field(default_factory=PkiSpec)
    vars: dict[str, str | int | bool] = Field(default_factory=dict)
    cleanup: list[str] = Field(
        default_factory=list, description="config lines that undo this scenario"
    )
    steps: list[Step] = Field(min_length=1)

    @field_validator("tags")
    @classmethod
    def _marker_names(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", tag):
                raise ValueError(
                    f"tag {tag!r} must be a valid pytest marker name (letters, digits, _)"
                )
        return tags
