"""What a form is about, whichever form it is: the pupil, the project, the setting, the money.

Each function reads the typed attributes of the forms that carry the value and answers
``None`` for the others, so callers need not know which form prints what.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from schemas.capital_bid import CapitalBid
from schemas.catalogue import AnyForm
from schemas.funding_review import FundingReview
from schemas.ipn_referral import IpnReferral, PupilAndSetting
from schemas.project_referral import ProjectReferral
from schemas.provision_map import ProvisionMap


def upn_of(form: AnyForm | None) -> str | None:
    return form.upn if isinstance(form, PupilAndSetting | ProvisionMap) else None


def date_of_birth_of(form: AnyForm | None) -> date | None:
    return form.date_of_birth if isinstance(form, PupilAndSetting | ProvisionMap) else None


def pupil_names_of(form: AnyForm | None) -> tuple[str | None, str | None]:
    """(forename, surname) as the form gives them; a single name field split at its first
    space."""
    if isinstance(form, PupilAndSetting) and (form.pupil_forename or form.pupil_surname):
        return form.pupil_forename, form.pupil_surname
    whole = form.pupil_name if isinstance(form, ProvisionMap | FundingReview) else None
    if not whole:
        return None, None
    forename, _, surname = whole.partition(" ")
    return forename or None, surname or None


def pupil_name_of(form: AnyForm | None) -> str | None:
    """The pupil's name as one string: the form's name field, or forename and surname."""
    if isinstance(form, ProvisionMap | FundingReview) and form.pupil_name:
        return form.pupil_name
    if isinstance(form, PupilAndSetting):
        return " ".join(p for p in (form.pupil_forename, form.pupil_surname) if p) or None
    return None


def parent_name_of(form: AnyForm | None) -> str | None:
    return form.parent_name if isinstance(form, IpnReferral) else None


def project_title_of(form: AnyForm | None) -> str | None:
    if isinstance(form, ProjectReferral | CapitalBid | FundingReview):
        return form.project_title
    return None


def setting_of(form: AnyForm | None) -> str | None:
    return form.setting_name if form is not None else None


def amount_requested_of(form: AnyForm | None) -> Decimal | None:
    return None if form is None or isinstance(form, FundingReview) else form.amount_requested


def with_settings(form: AnyForm, setting: str | None, partners: tuple[str, ...] | None) -> AnyForm:
    """The form naming its setting (and, on a project referral, its partners) as given: the
    same form when nothing changes."""
    changes: dict[str, str | tuple[str, ...] | None] = {}
    if setting != form.setting_name:
        changes["setting_name"] = setting
    if isinstance(form, ProjectReferral) and partners not in (None, form.partner_settings):
        changes["partner_settings"] = partners
    return form.model_copy(update=changes) if changes else form
