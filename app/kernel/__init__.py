"""Foundations every other package stands on: errors, translations, the clock, canonical JSON, logs,
paths, configuration and settings. Imports nothing else from app/."""
