"""The state folder: what ``write memory`` saves and what a boot loads.

Layout::

    STATE/current -> gen-000007      (symlink, swapped atomically)
    STATE/gen-000007/startup-config  (text, exactly as show running-config prints it)
    STATE/gen-000007/keys/NN.pem     (private keys, mode 0600; never in the config)
    STATE/gen-000007/keys.json       (label -> file, generation time)

A generation is written completely and fsynced before ``current`` is swapped with
rename(2), so SIGKILL at any moment leaves either the old or the new state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from lab.emulator.device import Keypair

CURRENT = "current"


@dataclass(frozen=True)
class SavedState:
    startup_config: str
    keypairs: list[Keypair]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes, mode: int = 0o644) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    path.chmod(mode)


class StateFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _generations(self) -> list[Path]:
        return sorted(p for p in self.root.glob("gen-*") if p.is_dir())

    def save(self, startup_config: str, keypairs: list[Keypair]) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        existing = self._generations()
        number = int(existing[-1].name[4:]) + 1 if existing else 1
        generation = self.root / f"gen-{number:06d}"
        if generation.exists():
            shutil.rmtree(generation)
        keys_dir = generation / "keys"
        keys_dir.mkdir(parents=True, mode=0o700)
        index: dict[str, dict[str, str]] = {}
        for position, keypair in enumerate(keypairs):
            file_name = f"{position:03d}.pem"
            pem = keypair.private_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            _write_file(keys_dir / file_name, pem, 0o600)
            index[keypair.label] = {
                "file": file_name,
                "generated_at": keypair.generated_at.isoformat(),
            }
        _write_file(generation / "keys.json", json.dumps(index, indent=1).encode(), 0o600)
        _write_file(generation / "startup-config", startup_config.encode())
        _fsync_dir(keys_dir)
        _fsync_dir(generation)
        link = self.root / f".{CURRENT}.tmp"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(generation.name)
        link.replace(self.root / CURRENT)
        _fsync_dir(self.root)
        for old in existing:
            shutil.rmtree(old, ignore_errors=True)

    def load(self) -> SavedState | None:
        """The last complete generation, or None for a folder never written to."""
        current = self.root / CURRENT
        if not current.is_symlink():
            return None
        generation = self.root / current.readlink()
        index = json.loads((generation / "keys.json").read_text())
        keypairs: list[Keypair] = []
        for label, entry in index.items():
            pem = (generation / "keys" / entry["file"]).read_bytes()
            key = serialization.load_pem_private_key(pem, password=None)
            keypairs.append(
                Keypair(label, key, dt.datetime.fromisoformat(entry["generated_at"]))  # type: ignore[arg-type]
            )
        return SavedState((generation / "startup-config").read_text(), keypairs)

    def cleanup_partial(self) -> None:
        """Remove generations a crash left behind (never the one ``current`` names)."""
        current = self.root / CURRENT
        keep = str(current.readlink()) if current.is_symlink() else None
        for generation in self._generations():
            if generation.name != keep:
                shutil.rmtree(generation, ignore_errors=True)
