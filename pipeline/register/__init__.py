"""The register: an SQLite file of messages, documents, submissions, findings and cases."""

from pipeline.register.db import Register

__all__ = ["Register"]
