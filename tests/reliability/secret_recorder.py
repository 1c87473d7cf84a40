"""Run ``asa-harness`` with every secret it makes recorded, for test_reliability_secrets.py.

    python secret_recorder.py SECRETS.json run scenarios/... --html ... --results ...

Before the harness is imported, ``secrets.token_urlsafe`` (the virtual ASA's login and
enable passwords, the PKCS#12 passphrases) and cryptography's RSA/EC key generation (the
lab CA's keys, client and server identities, the virtual ASA's keypairs) are wrapped so
that each value made is written to SECRETS.json when the run ends.
"""

from __future__ import annotations

import base64
import json
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

TOKENS: list[str] = []
KEYS: list[dict[str, Any]] = []

#: A PEM line holding at least this many bytes of private material names one key only.
MIN_PRIVATE_BYTES = 8


def _private_region(key: Any, der: bytes) -> tuple[int, int]:
    """Where the private numbers sit in a DER private key encoding."""
    if isinstance(key, rsa.RSAPrivateKey):
        d = key.private_numbers().d
        start = der.index(d.to_bytes((d.bit_length() + 7) // 8, "big"))
        return start, len(der)  # d, p, q, dp, dq, qinv: all private
    scalar = key.private_numbers().private_value.to_bytes((key.curve.key_size + 7) // 8, "big")
    start = der.index(scalar)
    return start, start + len(scalar)


def _private_lines(key: Any, private_format: serialization.PrivateFormat) -> list[str]:
    der = key.private_bytes(
        serialization.Encoding.DER, private_format, serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, private_format, serialization.NoEncryption()
    ).decode()
    body = [line for line in pem.splitlines() if not line.startswith("-----")]
    start, end = _private_region(key, der)
    lines = []
    for number, line in enumerate(body):
        low, high = number * 48, number * 48 + 48
        if min(high, end) - max(low, start) >= MIN_PRIVATE_BYTES:
            lines.append(line)
    return [*lines, base64.b64encode(der).decode()]


def record_key(key: Any) -> None:
    if isinstance(key, rsa.RSAPrivateKey):
        value = key.private_numbers().d
    else:
        value = key.private_numbers().private_value
    KEYS.append(
        {
            "kind": type(key).__name__,
            "lines": _private_lines(key, serialization.PrivateFormat.PKCS8)
            + _private_lines(key, serialization.PrivateFormat.TraditionalOpenSSL),
            "hex": format(value, "x"),
            "decimal": str(value),
        }
    )


def _recording_keys(generate: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = generate(*args, **kwargs)
        record_key(key)
        return key

    return wrapper


def _recording_tokens(make: Callable[..., str]) -> Callable[..., str]:
    def wrapper(*args: Any, **kwargs: Any) -> str:
        token = make(*args, **kwargs)
        TOKENS.append(token)
        return token

    return wrapper


def main(argv: list[str]) -> int:
    output = Path(argv[0])
    secrets.token_urlsafe = _recording_tokens(secrets.token_urlsafe)
    rsa.generate_private_key = _recording_keys(rsa.generate_private_key)
    ec.generate_private_key = _recording_keys(ec.generate_private_key)
    from harness.cli import main as harness_main

    try:
        return harness_main(argv[1:])
    finally:
        output.write_text(json.dumps({"tokens": TOKENS, "keys": KEYS}))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
