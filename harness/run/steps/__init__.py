"""One module per step kind; each exposes a ``run_*(step, ctx) -> StepOutcome`` function.

Modules are imported when a step of their kind first runs, so loading the pytest plugin
(which every pytest run in a project with it installed does) stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from harness.run.steps.outcome import StepOutcome

_RUNNERS: dict[str, str] = {
    "configure": "commands:run_configure",
    "exec": "commands:run_exec",
    "enroll": "certificates:run_enroll",
    "sign_csr": "certificates:run_sign_csr",
    "authenticate": "certificates:run_authenticate",
    "import_certificate": "certificates:run_import_certificate",
    "import_pkcs12": "certificates:run_import_pkcs12",
    "expect_show": "expect_show:run",
    "probe": "probe:run",
    "clock": "clock:run",
    "write_memory": "memory:run_write_memory",
    "reload": "memory:run_reload",
    "rotate": "rotate:run",
    "audit": "audit:run",
}


def runner_for(kind: str) -> Callable[[Any, Any], StepOutcome]:
    module_name, function = _RUNNERS[kind].split(":")
    module = importlib.import_module(f"harness.run.steps.{module_name}")
    runner: Callable[[Any, Any], StepOutcome] = getattr(module, function)
    return runner


__all__ = ["StepOutcome", "runner_for"]
