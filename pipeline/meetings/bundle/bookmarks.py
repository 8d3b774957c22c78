"""The bundle's bookmarks: cover, agenda, finance and index, then each section with its cases,
and under each case its summary, forms, provision maps and supporting documents, each at the
page it starts on in the merged bundle (supporting PDFs inserted included).
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.meetings.bundle.agenda import Section
from pipeline.meetings.bundle.assemble import Bundle, Outline
from pipeline.meetings.bundle.edition import View
from pipeline.meetings.bundle.form_pages import form_documents, provision_documents
from pipeline.meetings.bundle.index import who_short
from pipeline.meetings.bundle.layout import Layout
from pipeline.meetings.bundle.supporting import Supporting
from pipeline.meetings.models import CaseFile
from pipeline.reports.wording import document_kind


def outline(
    layout: Layout,
    sections: list[Section],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
    bundle: Bundle,
) -> list[Outline]:
    def at(key: str) -> int:
        return bundle.own_pages[layout.marks[key]]

    entries = [
        Outline("Cover", at("cover")),
        Outline("Agenda", at("agenda")),
        Outline("1. Admin and finance", at("finance")),
        Outline("2. Cluster-wide issues", at("item-2")),
        Outline("Index of cases", at("index")),
    ]
    for section in sections:
        children = [
            case_outline(case, views[case.case_ref], supporting[case.case_ref], at, bundle)
            for case in section.cases
        ]
        if section.number == 5:
            children.insert(0, Outline("Reviews of funding due", at("reviews")))
            entries.append(Outline(section.heading, at("reviews"), children))
        elif children:
            entries.append(Outline(section.heading, children[0].page, children))
    return entries


def case_outline(
    case: CaseFile,
    view: View,
    items: list[Supporting],
    at: Callable[[str], int],
    bundle: Bundle,
) -> Outline:
    ref = case.case_ref
    children = [Outline("Summary", at(f"case:{ref}"))]
    for number, document in enumerate(form_documents(case)):
        children.append(
            Outline(f"Form: {document_kind(document.kind)}", at(f"case:{ref}:form:{number}"))
        )
    for number, _ in enumerate(provision_documents(case)):
        children.append(Outline("Provision map", at(f"case:{ref}:provision:{number}")))
    for item in items:
        start = bundle.starts.get((ref, item.document.sha256))
        if start is not None:
            children.append(Outline(f"Supporting: {view.text(item.document.filename)}", start))
    return Outline(f"{ref} · {who_short(case, view)}", at(f"case:{ref}"), children)
