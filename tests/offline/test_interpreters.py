"""The runner and the modules it loads run in the program's own interpreter, which may be any supported
Python (requires-python): their source must parse with the oldest supported grammar, and the program's
source is parsed only by the program's interpreter, never by ours."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# what runner.py loads in the program's interpreter (its siblings and the fixer's provider reader)
RUNNER_SIDE = ["runner.py", "capture_monitor.py", "mock_outputs.py", "mock_invokes.py", "output_shapes.py",
               "wire.py", "../../fixer/provider_index.py"]


def oldest_supported() -> tuple[int, int]:
    text = (ROOT / "pyproject.toml").read_text()
    major, minor = re.search(r'requires-python\s*=\s*">=(\d+)\.(\d+)"', text).groups()
    return int(major), int(minor)


@pytest.mark.parametrize("name", RUNNER_SIDE)
def test_runner_side_modules_parse_with_the_oldest_supported_grammar(name):
    path = ROOT / "policypack" / "offline" / name
    ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=oldest_supported())


def test_a_program_is_compiled_by_its_own_interpreter(tmp_path):
    """3.12 syntax (PEP 695) is the program interpreter's to accept or refuse: on an older one the error is the
    program's SyntaxError at its own line, not a failure of the preview."""
    import sys

    from policypack.offline import capture_program

    (tmp_path / "Pulumi.yaml").write_text("name: py312\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("import pulumi\n\ntype Tags = dict[str, str]\n"
                                          "pulumi.export('n', f\"{'a' + \"b\"}\")\n")
    result = capture_program(tmp_path)
    if sys.version_info >= (3, 12):
        assert result.program_errors == []
    else:
        [error] = result.program_errors
        assert (error["kind"], error["file"], error["line"]) == ("SyntaxError", str(tmp_path / "__main__.py"), 3)
