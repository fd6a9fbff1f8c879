"""Prefect flows: they only wire the stage functions (extractors/reading.py, normalizer/stages.py) and the import batch (writer/staging.py) together as tasks."""
