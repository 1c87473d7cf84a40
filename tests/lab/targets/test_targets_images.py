"""The image cache key: the virtual-ASA image is rebuilt exactly when what goes into it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.targets.images import source_hash


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "README.md": "readme\n",
        "docker/Dockerfile": "FROM base\n",
        "harness/run.py": "print('harness')\n",
        "probes/tls.py": "print('probe')\n",
        "lab/emulator/server.py": "print('emulator')\n",
        "harness/__pycache__/run.cpython-311.pyc": "compiled",
        "tests/test_x.py": "def test(): pass\n",
        "reports/report.html": "<html>",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_hash_follows_the_packaged_source_the_dockerfile_and_the_base(project: Path) -> None:
    original = source_hash(project, "sha256:base-1")
    assert source_hash(project, "sha256:base-1") == original  # stable

    changes = {
        "harness/run.py": "print('changed')\n",
        "lab/emulator/new_module.py": "x = 1\n",
        "docker/Dockerfile": "FROM base\nENV X=1\n",
        "pyproject.toml": "[project]\nname = 'y'\n",
    }
    for name, text in changes.items():
        path = project / name
        before = path.read_text() if path.exists() else None
        path.write_text(text)
        assert source_hash(project, "sha256:base-1") != original, name
        if before is None:
            path.unlink()
        else:
            path.write_text(before)
    assert source_hash(project, "sha256:base-1") == original
    assert source_hash(project, "sha256:base-2") != original


def test_caches_tests_and_reports_do_not_trigger_a_rebuild(project: Path) -> None:
    original = source_hash(project, "sha256:base-1")
    (project / "harness/__pycache__/run.cpython-311.pyc").write_text("recompiled")
    (project / "tests/test_x.py").write_text("def test(): assert True\n")
    (project / "reports/report.html").write_text("<html>new")
    assert source_hash(project, "sha256:base-1") == original
