"""``rotate``: the article's certificate rotation as one step, verified, with rollback.

1. new keypair under a new label      2. new trustpoint referencing it
3. CSR, signed by the lab CA          4. CA authenticated, certificate imported
5. cut over: ssl trust-point NEW IF   6. verify what the listener serves
7. (optional) delete the old trustpoint — only after a verified cut-over.
When verification fails, the binding goes back to the old trustpoint and the old
certificate is verified again; the report shows both.
"""

from __future__ import annotations

from harness.run.context import RunContext
from harness.run.results import StepResult
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import (
    AuthenticatePayload,
    AuthenticateStep,
    ConfigureStep,
    EnrollPayload,
    EnrollStep,
    ImportCertificatePayload,
    ImportCertificateStep,
    ProbeExpect,
    ProbePayload,
    ProbeStep,
    RotatePayload,
    RotateStep,
    SignCsrPayload,
    SignCsrStep,
)


def _keygen(payload: RotatePayload) -> str:
    if payload.key.startswith("ec"):
        curve = payload.key[2:]
        return f"crypto key generate ecdsa label {payload.keypair} elliptic-curve {curve} noconfirm"
    return f"crypto key generate rsa label {payload.keypair} modulus {payload.key[3:]} noconfirm"


def _probe(
    payload: RotatePayload, trustpoint: str, extra: ProbeExpect | None, name: str
) -> ProbeStep:
    expect = (extra or ProbeExpect()).model_copy(update={"served_trustpoint": trustpoint})
    return ProbeStep(
        name=name,
        probe=ProbePayload(
            interface=payload.interface,
            sni=payload.sni or payload.fqdn,
            hostname=payload.fqdn,
            trust=payload.trust,
            expect=expect,
        ),
    )


def run(step: RotateStep, ctx: RunContext) -> StepOutcome:
    from harness.run.runner import execute_step

    payload = step.rotate
    csr_name = f"{payload.new_trustpoint}-csr"
    signed_name = f"{payload.new_trustpoint}-certificate"
    sign = SignCsrPayload(
        csr=csr_name,
        ca=payload.ca,
        save_as=signed_name,
        sans=[payload.fqdn],
        valid_days=payload.valid_days,
    )
    if payload.break_new_certificate == "wrong_hostname":
        sign = sign.model_copy(update={"sans": [f"wrong-name.{payload.fqdn}"]})
    elif payload.break_new_certificate == "expired":
        sign = sign.model_copy(update={"not_before": "-400d", "not_after": "-1d"})
    preparation = [
        ConfigureStep(name="1. new keypair", configure=_keygen(payload)),
        ConfigureStep(
            name="2. new trustpoint",
            configure=[
                f"crypto ca trustpoint {payload.new_trustpoint}",
                " enrollment terminal",
                f" fqdn {payload.fqdn}",
                f" subject-name {payload.subject}",
                f" keypair {payload.keypair}",
                " exit",
            ],
        ),
        EnrollStep(
            name="3a. certificate request",
            enroll=EnrollPayload(trustpoint=payload.new_trustpoint, capture=csr_name),
        ),
        SignCsrStep(name="3b. CA signs the request", sign_csr=sign),
        *[
            AuthenticateStep(
                name=f"4a. authenticate {ca}",
                authenticate=AuthenticatePayload(trustpoint=payload.new_trustpoint, ca=ca),
            )
            for ca in payload.authenticate
        ],
        ImportCertificateStep(
            name="4b. import the new certificate",
            import_certificate=ImportCertificatePayload(
                trustpoint=payload.new_trustpoint, certificate=signed_name
            ),
        ),
        ConfigureStep(
            name="5. cut over",
            configure=f"ssl trust-point {payload.new_trustpoint} {payload.interface}",
        ),
    ]
    outcome = StepOutcome(children_decide_status=False)
    children: list[StepResult] = []

    def do(child: object) -> StepResult:
        result = execute_step(child, ctx, len(children))
        children.append(result)
        return result

    for child in preparation:
        result = do(child)
        if result.status != "passed":
            outcome.check(f"{result.title}", "passed", result.status, evidence=result.error or "")
            outcome.children = tuple(children)
            outcome.summary = (
                f"rotation stopped at '{result.title}' before the cut-over"
                if "cut over" not in result.title
                else "cut-over failed"
            )
            return outcome
    verify = do(
        _probe(
            payload,
            payload.new_trustpoint,
            payload.verify,
            f"6. verify {payload.new_trustpoint} is served",
        )
    )
    verified = verify.status == "passed"
    outcome.check(
        "new certificate verified on the wire",
        not payload.expect_rollback,
        verified,
        evidence=_failed_checks(verify),
    )
    if verified:
        if payload.delete_old:
            removal = do(
                ConfigureStep(
                    name="7. delete the old trustpoint",
                    configure=f"no crypto ca trustpoint {payload.old_trustpoint} noconfirm",
                )
            )
            outcome.check(
                "old trustpoint removed", "passed", removal.status, evidence=removal.error or ""
            )
        outcome.summary = f"{payload.interface} now serves {payload.new_trustpoint}"
    else:
        rollback = do(
            ConfigureStep(
                name="rollback: re-bind the old trustpoint",
                configure=f"ssl trust-point {payload.old_trustpoint} {payload.interface}",
            )
        )
        restored = do(
            _probe(
                payload,
                payload.old_trustpoint,
                None,
                f"rollback: verify {payload.old_trustpoint} is served again",
            )
        )
        outcome.check(
            "rollback re-bound the old trustpoint",
            "passed",
            rollback.status,
            evidence=rollback.error or "",
        )
        outcome.check(
            "old certificate served again after rollback",
            "passed",
            restored.status,
            evidence=_failed_checks(restored),
        )
        outcome.summary = (
            f"verification of {payload.new_trustpoint} failed ({_failed_checks(verify)}); "
            f"rolled back to {payload.old_trustpoint}"
        )
    outcome.children = tuple(children)
    return outcome


def _failed_checks(result: StepResult) -> str:
    failed = [
        f"{c.name}: expected {c.expected!r}, got {c.actual!r}"
        for c in result.checks
        if not c.passed
    ]
    return "; ".join(failed) or (result.error or "")
