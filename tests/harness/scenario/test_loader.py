from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ScenarioError
from harness.scenario import is_scenario_file, load_scenario
from harness.scenario.model import ConfigureStep, ProbeStep


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_valid_scenario_loads_with_its_steps_and_variables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: ok\nvars:\n  host: vpn.example.lab\nsteps:\n"
        "  - configure: |\n      hostname asa\n"
        "  - name: probe it\n    probe: {interface: outside, sni: '${host}'}\n",
    )
    scenario = load_scenario(path)
    assert isinstance(scenario.steps[0], ConfigureStep)
    assert isinstance(scenario.steps[1], ProbeStep)
    assert scenario.steps[1].probe.sni == "vpn.example.lab"
    assert scenario.steps[1].title == "probe it"
    assert scenario.steps[0].title == "configure"


def test_an_unknown_step_names_file_line_and_the_valid_kinds(tmp_path: Path) -> None:
    path = write(tmp_path, "name: bad\nsteps:\n  - configure: x\n  - configur: y\n")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    message = str(raised.value)
    assert f"{path}:4: steps[1]" in message
    assert "configur: y" in message
    assert "configure, exec, enroll" in message


def test_a_wrong_value_quotes_the_offending_yaml_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: bad\nsteps:\n  - probe:\n      interface: outside\n"
        "      expect:\n        hostname_match: maybe\n",
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    message = str(raised.value)
    assert f"{path}:6: steps[0].probe.expect.hostname_match" in message
    assert "hostname_match: maybe" in message
    assert "valid boolean" in message


def test_an_unknown_key_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "name: bad\nsteps:\n  - probe:\n      interface: outside\n      colour: red\n"
    )
    with pytest.raises(ScenarioError, match=r":5: steps\[0\]\.probe\.colour: unknown key 'colour'"):
        load_scenario(path)


def test_an_unknown_variable_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "name: bad\nsteps:\n  - exec: show ${what}\n")
    with pytest.raises(ScenarioError, match=r":3: steps\[0\]\.exec: unknown variable \$\{what\}"):
        load_scenario(path)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name: bad\nsteps:\n  - configure: [unclosed\n")
    with pytest.raises(ScenarioError, match=rf"{path}:\d+: invalid YAML"):
        load_scenario(path)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "name: a\nname: b\nsteps:\n  - exec: show clock\n")
    with pytest.raises(ScenarioError, match=r":2: duplicate key 'name'"):
        load_scenario(path)


def test_fragments_are_included_and_errors_point_into_the_fragment(tmp_path: Path) -> None:
    write(tmp_path, "- configure: hostname asa\n- exec: show clock\n", "_common.yaml")
    path = write(tmp_path, "name: with include\nsteps: !include _common.yaml\n")
    assert len(load_scenario(path).steps) == 2
    write(tmp_path, "- exec: show clock\n- probe: {sni: x}\n", "_broken.yaml")
    broken = write(tmp_path, "name: broken include\nsteps: !include _broken.yaml\n", "b.yaml")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(broken)
    assert "_broken.yaml:2" in str(raised.value)


def test_pki_references_are_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: pki\npki:\n  cas: [{name: root, subject: CN=Root}]\n"
        "  certificates: [{name: alice, issuer: nobody, subject: CN=alice}]\n"
        "steps:\n  - exec: show clock\n",
    )
    with pytest.raises(ScenarioError, match="issuer 'nobody' is not a CA of this scenario"):
        load_scenario(path)


def test_a_probe_needs_exactly_one_destination(tmp_path: Path) -> None:
    path = write(tmp_path, "name: p\nsteps:\n  - probe: {sni: vpn}\n")
    with pytest.raises(ScenarioError, match="exactly one of: interface"):
        load_scenario(path)


def test_shipped_scenarios_all_load() -> None:
    folder = Path(__file__).resolve().parents[3] / "scenarios"
    files = sorted(p for p in folder.rglob("*.yaml") if is_scenario_file(p))
    assert files, "the project ships scenarios"
    for file in files:
        load_scenario(file)


def test_list_includes_are_spliced_and_keep_their_lines(tmp_path: Path) -> None:
    write(tmp_path, "- exec: show clock\n- probe: {sni: x}\n", "_steps.yaml")
    path = write(
        tmp_path,
        "name: s\nsteps:\n  - configure: hostname a\n  - !include _steps.yaml\n"
        "  - exec: show ssl\n",
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert "_steps.yaml:2: steps[2].probe" in str(raised.value)
    write(tmp_path, "- exec: show clock\n- exec: show version\n", "_steps.yaml")
    assert [s.kind for s in load_scenario(path).steps] == ["configure", "exec", "exec", "exec"]
