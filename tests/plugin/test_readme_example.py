"""The example of README.md's "Use it from pytest" section is a test that passes, as written there."""
from __future__ import annotations

import re
from pathlib import Path

from tests.plugin.conftest import run

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    """The first python block of the section (read from the README, so the two cannot drift apart)."""
    section = README.read_text(encoding="utf-8").split("## Use it from pytest", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_example_is_ten_lines():
    assert len(readme_example().strip().splitlines()) == 10


def test_the_readme_example_passes(project):
    project.makepyfile(test_readme=readme_example())
    run(project).assert_outcomes(passed=1)
