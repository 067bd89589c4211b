"""World files (declarative start state) and snapshots (export, import, persistence)."""
