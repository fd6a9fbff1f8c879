"""The audit rules, one per module; each registers itself (audit/registry.py)."""
