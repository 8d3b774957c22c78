"""The cluster's form schemas and catalogue: the single source of field ids, labels, types,
requiredness, document kinds, request types and rule codes."""

from schemas.capital_bid import CapitalBid
from schemas.catalogue import (
    FORMS,
    LINES,
    MAIN_FORMS,
    AnyForm,
    AnyLine,
    PupilForm,
    document_title,
    is_main_form,
    main_form_kind,
    required_documents,
)
from schemas.codes import RuleCode, Severity
from schemas.ehcp_exceptional import EhcpExceptional
from schemas.form import FieldSpec, Form, Record, normalise_label, specs
from schemas.funding_review import FundingReview
from schemas.ipn_referral import IpnReferral, PupilAndSetting
from schemas.kinds import DocumentKind, RequestType
from schemas.project_referral import CostLine, ProjectReferral
from schemas.provision_map import ProvisionLine, ProvisionMap
from schemas.reading import filled, parse_value, read_record

__all__ = [
    "FORMS",
    "LINES",
    "MAIN_FORMS",
    "AnyForm",
    "AnyLine",
    "CapitalBid",
    "CostLine",
    "DocumentKind",
    "EhcpExceptional",
    "FieldSpec",
    "Form",
    "FundingReview",
    "IpnReferral",
    "ProjectReferral",
    "ProvisionLine",
    "ProvisionMap",
    "PupilAndSetting",
    "PupilForm",
    "Record",
    "RequestType",
    "RuleCode",
    "Severity",
    "document_title",
    "filled",
    "is_main_form",
    "main_form_kind",
    "normalise_label",
    "parse_value",
    "read_record",
    "required_documents",
    "specs",
]
