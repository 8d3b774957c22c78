"""What a document can be and what a request can be: the two closed lists the catalogue uses."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """A document as classified: one of the cluster's forms, or what else it turned out to be."""

    ipn_referral = "ipn_referral"
    provision_map = "provision_map"
    project_referral = "project_referral"
    ehcp_exceptional = "ehcp_exceptional"
    capital_bid = "capital_bid"
    funding_review = "funding_review"
    supporting = "supporting"
    quarantined = "quarantined"
    blocked = "blocked"
    unreadable = "unreadable"
    archive = "archive"  # a zip or other archive: never opened, never bundled
    container = "container"  # a forwarded email, winmail.dat or Outlook message, unpacked


class RequestType(StrEnum):
    ipn = "ipn"
    project = "project"
    ehcp_exceptional = "ehcp_exceptional"
    capital = "capital"
    review = "review"

    @property
    def described(self) -> str:
        """The request type as the admin reads it."""
        return _REQUEST_TITLES[self]


_REQUEST_TITLES = {
    RequestType.ipn: "Individual Pupil Need",
    RequestType.project: "Project-Based Work",
    RequestType.ehcp_exceptional: "Exceptional needs funding (EHC plan)",
    RequestType.capital: "Inclusive Environments Capital Fund bid",
    RequestType.review: "Review of allocated funding",
}

# Titles of the kinds that are not forms; a form's title is its schema's.
OTHER_TITLES = {
    DocumentKind.supporting: "Supporting document",
    DocumentKind.quarantined: "Quarantined attachment (not opened)",
    DocumentKind.blocked: "Blocked file (macro-enabled or executable; not opened)",
    DocumentKind.unreadable: "Unreadable file",
    DocumentKind.archive: "Archive (zip or similar; not opened)",
    DocumentKind.container: "Email or Outlook envelope (its documents are listed on their own)",
}
