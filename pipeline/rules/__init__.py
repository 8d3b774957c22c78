"""The cluster's rules: each returns findings (data), never raises for a problem in a document."""

from pipeline.rules.base import RuleContext, finding
from pipeline.rules.fields import check_fields
from pipeline.rules.requests import check_request, request_type_of
from pipeline.rules.senders import check_sender, check_sender_setting
from pipeline.rules.settings import canonical_setting, match_setting

__all__ = [
    "RuleContext",
    "canonical_setting",
    "check_fields",
    "check_request",
    "check_sender",
    "check_sender_setting",
    "finding",
    "match_setting",
    "request_type_of",
]
