"""The journey of one email through the pipeline, and of a case the admin changed.

``journey.process`` tells it top to bottom; ``attachments`` reads, classifies and extracts
each attachment.
"""

from pipeline.flow.journey import process, refresh_case

__all__ = ["process", "refresh_case"]
