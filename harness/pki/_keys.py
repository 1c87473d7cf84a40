"""Private keys for the lab CA, described by short specs such as ``rsa2048`` or ``ec256``."""

from __future__ import annotations

from typing import Literal

from cryptography.hazmat.primitives.asymmetric import ec, rsa

KeySpec = Literal["rsa1024", "rsa2048", "rsa3072", "rsa4096", "ec256", "ec384", "ec521"]

_CURVES: dict[str, ec.EllipticCurve] = {
    "ec256": ec.SECP256R1(),
    "ec384": ec.SECP384R1(),
    "ec521": ec.SECP521R1(),
}

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def generate_key(spec: str = "rsa2048") -> PrivateKey:
    """Generate a private key from a spec: ``rsa<bits>`` or ``ec256|ec384|ec521``."""
    if spec in _CURVES:
        return ec.generate_private_key(_CURVES[spec])
    if spec.startswith("rsa") and spec[3:].isdigit():
        bits = int(spec[3:])
        if bits not in (1024, 2048, 3072, 4096):
            raise ValueError(f"unsupported RSA size {bits}: use 1024, 2048, 3072 or 4096")
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)
    raise ValueError(
        f"unknown key spec {spec!r}: use rsa2048, rsa3072, rsa4096, ec256, ec384 or ec521"
    )
