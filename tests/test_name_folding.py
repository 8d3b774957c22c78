"""The pupil's name on the form and on the provision map is the same name when they differ only
by accents, case or how a surname prefix is joined (O'Neill, ONeill, O Neill, Ó Neill), as an
English keyboard or OCR writes it: no identity_mismatch. A different name still is one."""

from __future__ import annotations

import pytest
from records import codes, record_of

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.samples import sample
from testkit.samples.case import SampleReferral
from testkit.samples.email_message import render_email


def referral_named(
    config: Config, forename: str, surname: str, on_map: str, seed: int
) -> SampleReferral:
    clean = sample(1, "clean", config, seed=seed)
    assert isinstance(clean, SampleReferral)
    values = {**clean.values, "pupil_forename": forename, "pupil_surname": surname}
    header = {**clean.map_header, "pupil_name": on_map}
    return clean.model_copy(update={"values": values, "map_header": header})


def identity_codes(config: Config, referral: SampleReferral) -> set[str]:
    email = config.paths.inbox / "001-referral.eml"
    email.write_bytes(render_email(referral))
    with open_context(config) as ctx:
        run_inbox(ctx)
    return codes(record_of(email, config.paths.outbox)) & {"identity_mismatch"}


@pytest.mark.parametrize(
    ("forename", "surname", "on_map"),
    [
        ("Sian", "O Briain", "Sían Ó Briain"),
        ("Sían", "Ó Briain", "Sian O'Briain"),
        ("Zoe", "ONeill", "Zoë O'Neill"),
        ("Sean", "O\u2019Neill", "SEÁN Ó NEILL"),
        ("Aoife", "O Brien", "Aoife Ó Brien"),
        ("Niamh", "Mac Giolla", "Niamh MacGiolla"),
        ("Ella", "Smith-Jones", "Ella Smith Jones"),
        ("Chloé", "Noël", "Chloe Noel"),
    ],
)
def test_names_differing_only_in_accents_or_prefix_spacing_are_the_same_pupil(
    config: Config, forename: str, surname: str, on_map: str
) -> None:
    referral = referral_named(config, forename, surname, on_map, seed=191)
    assert identity_codes(config, referral) == set()


@pytest.mark.parametrize(
    ("forename", "surname", "on_map"),
    [("Sian", "Jones", "Sían Bryant"), ("Zoe", "O'Neill", "Zoë O'Brien")],
)
def test_a_different_name_on_the_map_is_still_an_identity_mismatch(
    config: Config, forename: str, surname: str, on_map: str
) -> None:
    referral = referral_named(config, forename, surname, on_map, seed=192)
    assert identity_codes(config, referral) == {"identity_mismatch"}
