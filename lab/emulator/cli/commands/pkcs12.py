"""``crypto ca import TP pkcs12 PASSPHRASE [nointeractive]`` and ``crypto ca export TP
pkcs12 PASSPHRASE | identity-certificate`` (asa-cli.md sections 8.5 and 8.6).

Import: the bundle's key becomes keypair ``TP`` (the label is the trustpoint name), its
certificate the identity of trustpoint ``TP`` (created when missing), its issuing CA the
trustpoint's CA. Each further CA of the bundle gets a trustpoint of its own, ``TP-1``,
``TP-2`` ... (Cisco's FTD troubleshooting note 215855 describes this ASA behaviour; the
naming is [RECONSTRUCTED]).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from lab.emulator import certs
from lab.emulator.cli.commands.authenticate import subordinate_notice
from lab.emulator.cli.commands.debug import FAILURE, trace
from lab.emulator.cli.commands.trustpoints import unknown_trustpoint
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import ask_yes_no, read_until_quit
from lab.emulator.device import Keypair, PrivateKey, Trustpoint

IMPORT_FAILED = "ERROR: Import PKCS12 operation failed"
EXPORT_FAILED = "ERROR: A required certificate or keypair was not found"

_REPLACE_QUESTION = (
    "% You already have RSA or ECDSA keys named {label}.",
    "% If you replace them, all device certs issued using these keys",
    "% will be removed.",
)
_VALIDATION_USAGE_WARNING = (  # [REAL] ASAU, MAXA (ASDM/REST path)
    "WARNING: CA certificates can be used to validate VPN connections,",
    "by default.  Please adjust the validation-usage of this",
    "trustpoint to limit the validation scope, if necessary.",
)


@dataclass(frozen=True)
class Bundle:
    key: PrivateKey
    identity: x509.Certificate
    chain: list[x509.Certificate]  # issuing CA first, then its issuers


def _order_chain(
    identity: x509.Certificate, extra: list[x509.Certificate]
) -> list[x509.Certificate]:
    chain: list[x509.Certificate] = []
    current = identity
    remaining = list(extra)
    while True:
        issuer = next((c for c in remaining if c != current and certs.issued_by(current, c)), None)
        if issuer is None:
            return chain
        chain.append(issuer)
        remaining.remove(issuer)
        current = issuer


def load_bundle(lines: list[str], passphrase: str) -> Bundle:
    try:
        data = certs.pasted_blob(lines, "PKCS12")
        key, identity, extra = pkcs12.load_key_and_certificates(data, passphrase.encode())
    except (ValueError, TypeError) as error:
        raise CommandError(IMPORT_FAILED) from error
    if identity is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CommandError(IMPORT_FAILED)
    if not certs.same_public_key(identity, key):
        raise CommandError(IMPORT_FAILED)
    return Bundle(key, identity, _order_chain(identity, list(extra)))


def _free_name(ctx: CommandContext, base: str, taken: set[str]) -> str:
    number = 1
    while f"{base}-{number}" in ctx.device.trustpoints or f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _commit(ctx: CommandContext, name: str, bundle: Bundle) -> None:
    """Everything in one step (no await): keypair, trustpoint, CA trustpoints."""
    device = ctx.device
    for tp in device.trustpoints.values():
        old = device.keypairs.get(name)
        if (
            old is not None
            and tp.identity_certificate is not None
            and certs.same_public_key(tp.identity_certificate, old.private_key)
        ):
            tp.identity_certificate = None
    device.keypairs[name] = Keypair(name, bundle.key, device.clock.now_utc())
    tp = device.trustpoints.setdefault(name, Trustpoint(name))
    tp.keypair = name
    tp.identity_certificate = bundle.identity
    tp.pending_request = None
    tp.ca_certificates = bundle.chain[:1]
    created: set[str] = set()
    for ca in bundle.chain[1:]:
        if any(ca in other.ca_certificates for other in device.trustpoints.values()):
            continue
        extra_name = _free_name(ctx, name, created)
        created.add(extra_name)
        device.trustpoints[extra_name] = Trustpoint(extra_name, ca_certificates=[ca])


@command(CONFIG, "crypto ca import <trustpoint> pkcs12 <passphrase> [nointeractive]")
async def import_pkcs12(ctx: CommandContext, m: Match) -> None:
    name, passphrase = m["trustpoint"], m["passphrase"]
    quiet = m.has("nointeractive")
    if quiet:
        ctx.out("Enter the PKCS12 data in base64 representation....")
    else:
        ctx.out(
            "", "Enter the base 64 encoded pkcs12.", 'End with the word "quit" on a line by itself:'
        )
    lines = await read_until_quit(ctx.term)
    try:
        bundle = load_bundle(lines, passphrase)
    except CommandError:
        trace(ctx, FAILURE)
        raise
    same_key = [
        k.label
        for k in ctx.device.keypairs.values()
        if k.label != name and k.private_key.public_key() == bundle.key.public_key()
    ]
    if same_key:
        ctx.out(f"..WARNING: Identical public key already exists as {same_key[0]}")
    if name in ctx.device.keypairs and not quiet:
        ctx.out(*(line.format(label=name) for line in _REPLACE_QUESTION))
        if not await ask_yes_no(ctx.term, "% Do you really want to replace them? [yes/no]: "):
            return
    _commit(ctx, name, bundle)
    trace(ctx, f"Found ID cert. serial number: {certs.serial_hex(bundle.identity)}")
    ca = bundle.chain[0] if bundle.chain else None
    if quiet:
        ctx.out(*_VALIDATION_USAGE_WARNING, "INFO: Import PKCS12 operation completed successfully.")
        return
    ctx.out("")
    if ca is not None:
        if not certs.is_self_signed(ca):
            ctx.out(subordinate_notice(name), "")
        ctx.out("Trustpoint CA certificate accepted.")
    ctx.out("INFO: Import PKCS12 operation completed successfully", "")


def _exportable(ctx: CommandContext, name: str) -> tuple[Trustpoint, x509.Certificate]:
    tp = ctx.device.trustpoints.get(name)
    if tp is None:
        raise unknown_trustpoint(name)
    if tp.identity_certificate is None:
        raise CommandError(EXPORT_FAILED)
    return tp, tp.identity_certificate


@command(CONFIG, "crypto ca export <trustpoint> identity-certificate")
def export_identity(ctx: CommandContext, m: Match) -> None:
    _tp, certificate = _exportable(ctx, m["trustpoint"])
    ctx.out(*certs.pem_lines(certificate.public_bytes(serialization.Encoding.DER), "CERTIFICATE"))


@command(CONFIG, "crypto ca export <trustpoint> pkcs12 <passphrase>")
def export_pkcs12(ctx: CommandContext, m: Match) -> None:
    tp, certificate = _exportable(ctx, m["trustpoint"])
    keypair = ctx.device.keypairs.get(tp.keypair_label)
    if keypair is None or not certs.same_public_key(certificate, keypair.private_key):
        raise CommandError(EXPORT_FAILED)
    data = pkcs12.serialize_key_and_certificates(
        tp.name.encode(),
        keypair.private_key,
        certificate,
        list(tp.ca_certificates) or None,
        serialization.BestAvailableEncryption(m["passphrase"].encode()),
    )
    ctx.out("", "Exported pkcs12 follows:", *certs.pem_lines(data, "PKCS12"))
