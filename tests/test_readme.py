"""The README's Python examples run as written (a README that lies is a defect)."""

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, capsys):
    import awskit

    awskit.reset()
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    if "reachability" in code:
        assert "NOT REACHABLE (NO_INTERNET_GATEWAY)" in out
    if "InvalidSubnet.Range" in code:
        assert "InvalidSubnet.Range" in out
