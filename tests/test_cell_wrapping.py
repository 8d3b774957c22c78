"""A text PDF's table cell read back as the text its lines wrap (pdfplumber gives the lines)."""

from __future__ import annotations

from pipeline.read.pdf import unwrapped


def test_a_compound_word_wrapped_at_its_hyphen_is_joined_whole() -> None:
    assert unwrapped("language is well below age-\nrelated expectations") == (
        "language is well below age-related expectations"
    )


def test_a_dash_between_words_keeps_its_spaces() -> None:
    assert unwrapped("calm -\nmost days") == "calm - most days"


def test_wrapped_words_are_joined_by_a_space() -> None:
    assert unwrapped("Sam reads\nwell.") == "Sam reads well."
