"""UPN and ULN checks (DfE check letter via python-stdnum)."""

from pipeline.rules.upn import check_pupil_number


def test_valid_stoke_upn_has_no_problem_and_la_861() -> None:
    checked = check_pupil_number("A861200005001".replace("A", _letter("861200005001")))
    assert checked.problem is None and checked.la_number == 861


def test_wrong_check_letter_is_reported() -> None:
    good = _letter("861200005001") + "861200005001"
    wrong = ("B" if good[0] != "B" else "C") + good[1:]
    assert "wrong check letter" in (check_pupil_number(wrong).problem or "")


def test_short_upn_is_reported_with_the_expected_format() -> None:
    assert "13 characters" in (check_pupil_number("A86120").problem or "")


def test_valid_uln_for_a_college_student_is_accepted() -> None:
    assert check_pupil_number("1234567899").problem is None  # check digit 9


def test_uln_with_wrong_check_digit_is_reported() -> None:
    assert check_pupil_number("1234567895").problem is not None


def _letter(rest: str) -> str:
    from stdnum.gb.upn import calc_check_digit

    return str(calc_check_digit(rest))
