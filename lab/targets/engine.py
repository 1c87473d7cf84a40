"""The local docker engine, through the docker SDK.

The SDK is imported with ``importlib``: the repository's own ``docker/`` folder (the
Dockerfile) is a namespace package to a type checker run from the repository root, and
would shadow the SDK's ``docker`` module there.
"""

from __future__ import annotations

import importlib
from typing import Any

from lab.targets.base import TargetStartError


def docker_client() -> Any:
    """A client for the local engine, or a TargetStartError saying how to start one."""
    from docker.errors import DockerException

    sdk = importlib.import_module("docker")
    try:
        return sdk.from_env()
    except DockerException as error:
        first_line = (str(error).splitlines() or ["no answer"])[0]
        raise TargetStartError(
            f"the docker engine does not answer ({first_line}); start dockerd (see docs/labs.md) "
            "or choose another target"
        ) from None


def engine_problem() -> str | None:
    """Why the docker engine cannot be used here, or None when it answers."""
    try:
        client = docker_client()
    except TargetStartError as error:
        return str(error)
    try:
        client.ping()
    except Exception as error:  # any failure to answer means: not usable
        return f"the docker engine does not answer a ping: {error}"
    finally:
        client.close()
    return None
