import pytest

from common.numbers import MAX_INT64, whole_number


@pytest.mark.parametrize("text,expected", [("0", 0), ("42", 42), (str(MAX_INT64), MAX_INT64)])
def test_ascii_digits_in_range_are_numbers(text, expected):
    assert whole_number(text) == expected


@pytest.mark.parametrize("text", ["", "²", "٣", "-1", "1.5", " 1", "x", str(MAX_INT64 + 1), "9" * 40])
def test_anything_else_is_not(text):
    assert whole_number(text) is None


def test_a_maximum_bounds_the_number():
    assert whole_number("100", 100) == 100 and whole_number("101", 100) is None
