"""The Hypothesis settings every contract suite runs with: repeatable, no example database, no
deadline (a scenario does real HTTP), health checks off (scenarios are big and slow on purpose)."""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings


def suite_settings(max_examples: int, *, shrink: bool = False, derandomize: bool = True) -> settings:
    """Settings for max_examples scenarios; shrink adds Hypothesis' shrinking phase (slower: it
    replays scenarios); derandomize=False when the caller pins a seed of its own."""
    phases = (Phase.explicit, Phase.generate) + ((Phase.shrink,) if shrink else ())
    return settings(max_examples=max_examples, derandomize=derandomize, database=None, deadline=None,
                    phases=phases, suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    print_blob=False)
