"""Ships the top-level fixtures/ and contracts/ folders inside the wheel as mockserver/_data/."""
from __future__ import annotations

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("fixtures", "contracts")


class BuildPyWithData(build_py):
    """Copies the data folders into the build tree so a non-editable install carries them."""

    def run(self) -> None:
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        for name in DATA_DIRS:
            source = os.path.join(here, name)
            if not os.path.isdir(source):
                continue
            target = os.path.join(self.build_lib, "mockserver", "_data", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildPyWithData})
