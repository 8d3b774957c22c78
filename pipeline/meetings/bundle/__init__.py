"""The meeting bundle: cover, agenda, finance, index, and every case's papers, as one PDF.

Two editions: the panel edition (shared with cluster settings; pupils by initials and case
reference only) and the full edition (council use only).
"""

from pipeline.meetings.bundle.build import build_bundle
from pipeline.meetings.bundle.edition import Edition
from pipeline.meetings.bundle.outputs import build_meeting_outputs

__all__ = ["Edition", "build_bundle", "build_meeting_outputs"]
