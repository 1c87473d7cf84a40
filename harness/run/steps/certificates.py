"""Certificate dialogues: enroll (capturing the CSR), sign it with the lab CA, authenticate a
CA, import the identity certificate or a PKCS#12 bundle."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.device.session import CommandOutput
from harness.errors import StepError
from harness.pki import IssuedIdentity
from harness.run.context import RunContext
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import (
    AuthenticateStep,
    EnrollStep,
    ImportCertificateStep,
    ImportPkcs12Step,
    SignCsrStep,
)
from harness.timespec import parse_time
from probes.names import display_name

_CSR = re.compile(
    r"-----BEGIN CERTIFICATE REQUEST-----.*?-----END CERTIFICATE REQUEST-----", re.DOTALL
)


def _pem(certificate: x509.Certificate) -> list[str]:
    return certificate.public_bytes(serialization.Encoding.PEM).decode().strip().splitlines()


def _md5_groups(certificate: x509.Certificate) -> str:
    digest = hashlib.md5(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    return " ".join(digest[i : i + 8] for i in range(0, 32, 8))


def _certificates_from_file(ctx: RunContext, name: str, what: str) -> list[x509.Certificate]:
    path = ctx.resolve_path(name)
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as error:
        raise StepError(f"cannot read {what} from {path}: {error}") from error


def run_enroll(step: EnrollStep, ctx: RunContext) -> StepOutcome:
    payload = step.enroll
    outcome = StepOutcome()
    command = f"crypto ca enroll {payload.trustpoint}" + (" noconfirm" if payload.noconfirm else "")
    serial_answer = "yes" if payload.include_serial_number else "no"
    output = ctx.session.send(
        command,
        mode="configuration",
        answers=[
            ("serial number", serial_answer),
            ("Display Certificate Request", "yes"),
            ("Redisplay enrollment request", "no"),
            ("Generate Self-Signed Certificate", "yes"),
            ("replace", "yes"),
        ],
    )
    if output.failed:
        outcome.check(
            "enrollment accepted",
            "accepted",
            output.error or ", ".join(output.unanswered),
            evidence=output.output,
        )
        return outcome
    found = _CSR.search(output.output)
    if found:
        pem = found.group(0)
        try:
            request = x509.load_pem_x509_csr(pem.encode())
        except ValueError as error:
            raise StepError(
                f"the device printed a certificate request that does not parse: {error}"
            ) from error
        outcome.check("request signature verifies", True, request.is_signature_valid)
        outcome.facts["csr_subject"] = display_name(request.subject)
        if payload.capture:
            ctx.pki.csrs[payload.capture] = pem
            ctx.captures[payload.capture] = pem
    elif payload.capture:
        outcome.check("certificate request printed", True, False, evidence=output.output)
    outcome.summary = f"enrolled {payload.trustpoint}" + (
        f", CSR saved as {payload.capture}" if payload.capture and found else ""
    )
    return outcome


def run_sign_csr(step: SignCsrStep, ctx: RunContext) -> StepOutcome:
    payload = step.sign_csr
    if payload.csr not in ctx.pki.csrs:
        known = ", ".join(ctx.pki.csrs) or "none"
        raise StepError(
            f"no captured CSR named {payload.csr!r} (captured so far: {known}); "
            "add capture: to an enroll step"
        )
    certificate = ctx.pki.ca(payload.ca).sign_csr(
        ctx.pki.csrs[payload.csr],
        sans=payload.sans,
        eku=payload.eku,
        valid_days=payload.valid_days,
        not_before=parse_time(payload.not_before) if payload.not_before else None,
        not_after=parse_time(payload.not_after) if payload.not_after else None,
    )
    ctx.pki.signed[payload.save_as] = certificate
    outcome = StepOutcome(summary=f"{payload.ca} signed {payload.csr} -> {payload.save_as}")
    outcome.facts.update(
        subject=display_name(certificate.subject),
        serial=format(certificate.serial_number, "x"),
        not_after=certificate.not_valid_after_utc.isoformat(),
    )
    return outcome


def run_authenticate(step: AuthenticateStep, ctx: RunContext) -> StepOutcome:
    payload = step.authenticate
    if payload.pem_file is not None:
        certificates = _certificates_from_file(ctx, payload.pem_file, "CA certificates")
    elif payload.chain is not None:
        certificates = [ctx.pki.certificate(name) for name in payload.chain]
    else:
        assert payload.ca is not None
        certificates = [ctx.pki.certificate(payload.ca)]
    paste = [line for certificate in certificates for line in _pem(certificate)]
    output = ctx.session.send(
        f"crypto ca authenticate {payload.trustpoint}",
        mode="configuration",
        answers=[("accept this certificate", "yes" if payload.accept else "no")],
        paste=paste,
    )
    outcome = StepOutcome(
        summary=f"authenticated {payload.trustpoint} with {len(certificates)} certificate(s)"
    )
    if payload.expect_error:
        outcome.check(
            "the device rejects the CA",
            "rejected",
            "rejected" if output.error else "accepted",
            evidence=output.output,
        )
        return outcome
    if output.error:
        outcome.check("CA accepted", "accepted", output.error, evidence=output.output)
        return outcome
    accepted = "Trustpoint CA certificate accepted." in output.output
    outcome.check(
        "CA accepted" if payload.accept else "CA declined",
        payload.accept,
        accepted,
        evidence=output.output,
    )
    printed = re.search(r"Fingerprint:\s+([0-9a-f ]{35})", output.output)
    if printed:
        fingerprints = {_md5_groups(c) for c in certificates}
        outcome.check(
            "fingerprint shown is the MD5 of the pasted CA",
            True,
            printed.group(1).strip() in fingerprints,
            evidence=printed.group(0),
        )
    notice = "is a subordinate CA" in output.output
    expected_notice = payload.expect_subordinate_notice
    if expected_notice is None:
        expected_notice = certificates[0].issuer != certificates[0].subject
    if payload.accept:
        outcome.check("subordinate-CA notice", expected_notice, notice, evidence=output.output)
    return outcome


def run_import_certificate(step: ImportCertificateStep, ctx: RunContext) -> StepOutcome:
    payload = step.import_certificate
    if payload.pem_file is not None:
        certificate = _certificates_from_file(ctx, payload.pem_file, "a certificate")[0]
    else:
        assert payload.certificate is not None
        certificate = ctx.pki.certificate(payload.certificate)
    output = ctx.session.send(
        f"crypto ca import {payload.trustpoint} certificate",
        mode="configuration",
        answers=[("replace", "yes")],
        paste=_pem(certificate),
    )
    outcome = StepOutcome(summary=f"imported the identity certificate into {payload.trustpoint}")
    imported = "Certificate successfully imported" in output.output and output.error is None
    _import_verdict(
        outcome, output, "certificate", succeeded=imported, expect_error=payload.expect_error
    )
    return outcome


def run_import_pkcs12(step: ImportPkcs12Step, ctx: RunContext) -> StepOutcome:
    payload = step.import_pkcs12
    if payload.file is not None:
        assert payload.passphrase_env is not None
        passphrase = os.environ.get(payload.passphrase_env)
        if not passphrase:
            raise StepError(
                f"environment variable {payload.passphrase_env} (the passphrase of "
                f"{payload.file}) is not set"
            )
        path = ctx.resolve_path(payload.file)
        try:
            blob = path.read_bytes()
        except OSError as error:
            raise StepError(f"cannot read {path}: {error.strerror}") from error
        if blob.lstrip().startswith(b"-----BEGIN"):
            blob = base64.b64decode(
                b"".join(row for row in blob.splitlines() if not row.startswith(b"-----"))
            )
    else:
        assert payload.identity is not None
        passphrase = secrets.token_urlsafe(12)
        identity = ctx.pki.identity(payload.identity)
        if not payload.include_chain:
            identity = IssuedIdentity(identity.certificate, identity.private_key, ())
        blob = identity.pkcs12(passphrase.encode(), name=payload.trustpoint)
    ctx.add_secret(passphrase)
    encoded = base64.b64encode(blob).decode()
    paste = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    output = ctx.session.send(
        f"crypto ca import {payload.trustpoint} pkcs12 {passphrase}",
        mode="configuration",
        answers=[("replace them", "yes" if payload.replace_keys else "no")],
        paste=paste,
        paste_is_secret=True,
    )
    outcome = StepOutcome(summary=f"imported a PKCS#12 bundle into {payload.trustpoint}")
    done = "Import PKCS12 operation completed successfully" in output.output
    _import_verdict(
        outcome, output, "PKCS#12 bundle", succeeded=done, expect_error=payload.expect_error
    )
    return outcome


def _import_verdict(
    outcome: StepOutcome, output: CommandOutput, what: str, *, succeeded: bool, expect_error: bool
) -> None:
    if expect_error:
        actual = "accepted" if succeeded else "rejected"
        outcome.check(f"the device rejects the {what}", "rejected", actual, evidence=output.output)
    else:
        actual = "imported" if succeeded else (output.error or "not imported")
        outcome.check(f"{what} imported", "imported", actual, evidence=output.output)
