"""Prefect flows: they only wire the stage functions (extractors/stage.py, normalizer/stage.py) and the import batch (writer/staging.py) together as tasks."""
