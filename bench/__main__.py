"""`python -m bench`: the same as bench/run."""
from __future__ import annotations

import sys

from bench.runner import main

sys.exit(main())
