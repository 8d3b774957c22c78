"""The journey of one email through the pipeline, and of a case the admin changed.

``journey`` tells it top to bottom; ``attachments`` reads, classifies and extracts each
attachment; ``join`` finds the case a request belongs to; ``history`` reads from the register,
once, the snapshot the rules are handed.
"""

from pipeline.flow.journey import process, ready_for_mail, reassess_case

__all__ = ["process", "ready_for_mail", "reassess_case"]
