"""Build the container images, each only when needed, and keep them between runs.

No image registry is reachable, so everything starts from a locally made base:

* ``asa-cert-harness/base:bookworm``: ``debootstrap --variant=minbase`` with python3,
  python3-venv and ca-certificates, trimmed (apt lists and caches, docs, man pages, locales)
  and ``docker import``-ed. Built only when the image is missing.
* ``asa-cert-harness/virtual-asa:<hash>`` (also tagged ``latest``): ``docker/Dockerfile``
  ``FROM`` the base. The hash (also in the label ``asa-cert-harness.source-hash``) covers the
  project's packaged source, pyproject.toml, the Dockerfile, the pinned dependency versions
  and the base image id, so the image is rebuilt exactly when one of them changed. Older
  virtual-ASA images are removed after a rebuild.

The build itself never touches the network: the host builds a wheelhouse (``pip wheel``,
dependencies pinned to the versions installed here, cached per pin set under
``~/.cache/asa-cert-harness``) and the project's wheel; the Dockerfile installs them with
``pip install --no-index`` and builds with ``network_mode=none``.

Builds take a file lock, so parallel test workers build once and the others wait.

CLI: ``python -m lab.targets.images [base|image] [--force]`` (default: both, as needed).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab.targets.base import TargetStartError
from lab.targets.progress import Progress

BASE_IMAGE = "asa-cert-harness/base:bookworm"
IMAGE_REPOSITORY = "asa-cert-harness/virtual-asa"
HASH_LABEL = "asa-cert-harness.source-hash"
IMAGE_PYTHON = (3, 11)  # python3 in Debian bookworm: the wheelhouse must match it
DEBIAN_MIRROR = "http://deb.debian.org/debian"
PACKAGES = ("harness", "probes", "lab")
TOP_FILES = ("pyproject.toml", "README.md")
TRIMMED = (
    "var/cache/apt/archives",
    "var/lib/apt/lists",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
)


class ImageBuildError(TargetStartError):
    """An image could not be built; the message carries the failing tool's last lines."""


@dataclass(frozen=True)
class BuildReport:
    image: str
    built: bool
    seconds: float


def cache_dir() -> Path:
    configured = os.environ.get("ASA_HARNESS_CACHE")
    if configured:
        root = Path(configured)
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "asa-cert-harness"
    root.mkdir(parents=True, exist_ok=True)
    return root


def project_root() -> Path:
    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").is_file() or not (root / "docker" / "Dockerfile").is_file():
        raise ImageBuildError(
            f"the virtual-ASA image is built from a source checkout; {root} has no pyproject.toml "
            "and docker/Dockerfile (install the project with pip install -e from its repository)"
        )
    return root


@contextlib.contextmanager
def build_lock() -> Iterator[None]:
    with (cache_dir() / "build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join("  | " + line for line in text.strip().splitlines()[-lines:])


def _run(command: Sequence[str], what: str, **options: Any) -> str:
    result = subprocess.run(list(command), capture_output=True, text=True, check=False, **options)
    if result.returncode != 0:
        output = _tail(result.stdout + result.stderr)
        raise ImageBuildError(f"{what} failed (exit {result.returncode}):\n{output}")
    return str(result.stdout)


def image_exists(client: Any, name: str) -> bool:
    from docker.errors import ImageNotFound

    try:
        client.images.get(name)
    except ImageNotFound:
        return False
    return True


# ---------------------------------------------------------------- base image


def _unmount_below(root: Path) -> None:
    """debootstrap mounts /proc and /sys in the new root; a failed run may leave them."""
    mounts = Path("/proc/mounts").read_text().splitlines()
    points = sorted((line.split()[1] for line in mounts if len(line.split()) > 1), reverse=True)
    for point in points:
        if point == str(root) or point.startswith(f"{root}/"):
            subprocess.run(["umount", "-l", point], check=False, capture_output=True)


def _trim(root: Path) -> None:
    for relative in TRIMMED:
        folder = root / relative
        if folder.is_dir():
            for child in folder.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                elif child.name != "lock":
                    child.unlink()


def build_base(client: Any, progress: Progress, *, mirror: str | None = None) -> None:
    if shutil.which("debootstrap") is None:
        raise ImageBuildError("debootstrap is not installed (apt-get install debootstrap)")
    if os.geteuid() != 0:
        raise ImageBuildError(f"building {BASE_IMAGE} runs debootstrap, which needs root")
    mirror = mirror or os.environ.get("ASA_HARNESS_DEBIAN_MIRROR") or DEBIAN_MIRROR
    scratch = Path(tempfile.mkdtemp(prefix="asa-base-", dir=cache_dir()))
    root = scratch / "rootfs"
    try:
        progress.update(f"debootstrap bookworm from {mirror}")
        _run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv,ca-certificates",
                "bookworm",
                str(root),
                mirror,
            ],
            "debootstrap",
        )
        _trim(root)
        progress.update(f"importing the root file system as {BASE_IMAGE}")
        with subprocess.Popen(
            ["tar", "--numeric-owner", "-C", str(root), "-c", "."], stdout=subprocess.PIPE
        ) as tar:
            repository, _, tag = BASE_IMAGE.partition(":")
            client.api.import_image_from_stream(
                tar.stdout, repository=repository, tag=tag, changes=['CMD ["python3"]']
            )
        if tar.returncode != 0:
            raise ImageBuildError(f"tar of the debootstrap root failed (exit {tar.returncode})")
    finally:
        _unmount_below(root)
        shutil.rmtree(scratch, ignore_errors=True)


def ensure_base(client: Any, progress: Progress, *, force: bool = False) -> BuildReport:
    started = time.monotonic()
    if not force and image_exists(client, BASE_IMAGE):
        return BuildReport(BASE_IMAGE, False, 0.0)
    build_base(client, progress)
    return BuildReport(BASE_IMAGE, True, time.monotonic() - started)


# ---------------------------------------------------------------- the virtual-ASA image


def _source_files(root: Path) -> list[Path]:
    files = [root / name for name in TOP_FILES if (root / name).is_file()]
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.append(path)
    return files


@functools.cache
def pinned_requirements() -> str:
    """The versions installed here (``pip freeze``), used as constraints for the wheelhouse."""
    frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], "pip freeze")
    own = "asa-cert-harness"
    lines = [line for line in frozen.splitlines() if line and not line.lower().startswith(own)]
    return "\n".join(sorted(lines)) + "\n"


def _requirements(root: Path) -> list[str]:
    document = tomllib.loads((root / "pyproject.toml").read_text())
    return [*document["project"]["dependencies"], *document["build-system"]["requires"]]


def source_hash(root: Path, base_id: str) -> str:
    digest = hashlib.sha256()
    digest.update(base_id.encode())
    digest.update(pinned_requirements().encode())
    for path in [root / "docker" / "Dockerfile", *_source_files(root)]:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_wheelhouse(root: Path, progress: Progress) -> Path:
    """Wheels for every dependency (and the build backend), pinned; reused while pins match."""
    if sys.version_info[:2] != IMAGE_PYTHON:
        raise ImageBuildError(
            f"the wheelhouse is built by this interpreter (Python {sys.version_info[0]}."
            f"{sys.version_info[1]}) for the image's Python {IMAGE_PYTHON[0]}.{IMAGE_PYTHON[1]}; "
            "run the harness from a Python 3.11 virtual environment"
        )
    requirements = "\n".join(_requirements(root)) + "\n"
    key = hashlib.sha256((requirements + pinned_requirements()).encode()).hexdigest()[:16]
    wheelhouse = cache_dir() / f"wheelhouse-{key}"
    if (wheelhouse / ".complete").is_file():
        return wheelhouse
    progress.update("pip wheel: the dependency wheelhouse (first build only)")
    wheelhouse.mkdir(parents=True, exist_ok=True)
    (wheelhouse / "requirements.txt").write_text(requirements)
    (wheelhouse / "constraints.txt").write_text(pinned_requirements())
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--wheel-dir",
            str(wheelhouse),
            "--requirement",
            str(wheelhouse / "requirements.txt"),
            "--constraint",
            str(wheelhouse / "constraints.txt"),
        ],
        "pip wheel (dependencies)",
    )
    (wheelhouse / ".complete").write_text("ok\n")
    return wheelhouse


def _build_context(root: Path, wheelhouse: Path, context: Path, progress: Progress) -> None:
    source = context.parent / "source"
    for path in _source_files(root):
        target = source / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    wheels = context / "wheels"
    wheels.mkdir(parents=True)
    progress.update("pip wheel: the project (offline, from the wheelhouse)")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        "pip wheel (project)",
    )
    for wheel in wheelhouse.glob("*.whl"):
        shutil.copy2(wheel, wheels / wheel.name)
    shutil.copy2(root / "docker" / "Dockerfile", context / "Dockerfile")


def _docker_build(client: Any, context: Path, tag: str, digest: str, progress: Progress) -> None:
    log: list[str] = []
    stream = client.api.build(
        path=str(context),
        tag=tag,
        buildargs={"BASE": BASE_IMAGE},
        labels={HASH_LABEL: digest},  # one label: the classic builder adds a step per label
        network_mode="none",
        rm=True,
        forcerm=True,
        decode=True,
    )
    for chunk in stream:
        text = str(chunk.get("stream", "")).rstrip()
        if text:
            log.append(text)
            if text.startswith("Step "):
                progress.update(f"docker build: {text}")
        if "error" in chunk:
            log.append(str(chunk["error"]))
            raise ImageBuildError(f"docker build of {tag} failed:\n{_tail(chr(10).join(log))}")


def _remove_stale(client: Any, keep: str) -> None:
    from docker.errors import APIError

    for image in client.images.list(name=IMAGE_REPOSITORY):
        if image.labels.get(HASH_LABEL) != keep:
            with contextlib.suppress(APIError):  # still used by a running container: keep it
                client.images.remove(image.id, force=False)


def ensure_virtual_asa_image(
    client: Any, progress: Progress, *, force: bool = False
) -> BuildReport:
    started = time.monotonic()
    root = project_root()
    with build_lock():
        ensure_base(client, progress)
        base_id = str(client.images.get(BASE_IMAGE).id)
        digest = source_hash(root, base_id)
        tag = f"{IMAGE_REPOSITORY}:{digest[:16]}"
        current = not force and image_exists(client, tag)
        if current and client.images.get(tag).labels.get(HASH_LABEL) == digest:
            return BuildReport(tag, False, time.monotonic() - started)
        wheelhouse = ensure_wheelhouse(root, progress)
        with tempfile.TemporaryDirectory(prefix="asa-image-", dir=cache_dir()) as scratch:
            context = Path(scratch) / "context"
            context.mkdir()
            _build_context(root, wheelhouse, context, progress)
            _docker_build(client, context, tag, digest, progress)
        client.images.get(tag).tag(IMAGE_REPOSITORY, "latest")
        _remove_stale(client, digest)
    return BuildReport(tag, True, time.monotonic() - started)


@functools.cache
def _current_image_for_process() -> str:
    from lab.targets.engine import docker_client

    client = docker_client()
    try:
        with Progress("virtual-ASA image") as progress:
            return ensure_virtual_asa_image(client, progress).image
    finally:
        client.close()


def current_image() -> str:
    """The up-to-date virtual-ASA image tag, built if needed (checked once per process)."""
    return _current_image_for_process()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lab.targets.images",
        description="Build the base and virtual-ASA container images when missing or out of date.",
    )
    parser.add_argument(
        "what",
        nargs="?",
        choices=("base", "image"),
        default="image",
        help="base: only the debootstrap base; image (default): base + virtual ASA",
    )
    parser.add_argument(
        "--force", action="store_true", help="rebuild the chosen image even if it is up to date"
    )
    arguments = parser.parse_args(argv)
    from lab.targets.engine import docker_client

    try:
        client = docker_client()
    except TargetStartError as error:
        print(f"images: {error}", file=sys.stderr)
        return 2
    reports: list[BuildReport] = []
    try:
        with Progress(f"{arguments.what} image") as progress:
            with build_lock():
                reports.append(
                    ensure_base(
                        client, progress, force=arguments.force and arguments.what == "base"
                    )
                )
            if arguments.what == "image":
                reports.append(ensure_virtual_asa_image(client, progress, force=arguments.force))
    except ImageBuildError as error:
        print(f"images: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
    for report in reports:
        state = f"built in {report.seconds:.1f} s" if report.built else "up to date"
        print(f"{report.image}: {state}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
