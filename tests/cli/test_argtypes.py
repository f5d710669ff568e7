"""Shared argparse types: bounds and one-line errors through the real CLI."""
from __future__ import annotations

import argparse

import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.cli.argtypes import open_interval, whole_number


def test_whole_number_bounds():
    parse = whole_number(minimum=1, maximum=50)
    assert parse("1") == 1 and parse("50") == 50
    for bad in ("0", "51", "1.5", "x", "0x10"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(bad)


def test_open_interval_excludes_ends_and_non_finite():
    parse = open_interval(0.0, 1.0)
    assert parse("0.9") == 0.9
    for bad in ("0", "1", "nan", "inf", "-0.1", "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(bad)
    assert open_interval(0.0)("1e6") == 1e6


@pytest.mark.parametrize("argv, fragment", [
    (["run", "--jobs", "0"], "--jobs"),
    (["run", "--timeout", "nan"], "--timeout"),
    (["forecast", "x.csv", "--indicator", "gdp", "--horizon", "0"], "--horizon"),
])
def test_bad_option_is_one_line_exit_2(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err
