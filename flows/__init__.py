"""Prefect flows: they only wire the stages of parindex.stages together as tasks."""
