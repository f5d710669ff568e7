"""The chain gives the same numbers whatever the memory layout of its arrays.

The Monte Carlo stores its (paths, years, ...) arrays year by year with the
paths contiguous, and :func:`~xiqu_analysis.economics.growth.chain_index` then
multiplies year by year instead of calling ``numpy.cumprod`` along a short
strided axis; a rate the same on every path is chained once and broadcast.
These tests hold the fast paths to the plain ``cumprod`` / C-order answers
with ``==`` (not approximately): the same multiplications in the same order.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiqu_analysis.economics.growth import annual_growth_pct, chain_index, compound_index, empty_extended
from xiqu_analysis.economics.projection import project_arrays, scenario_inputs
from xiqu_analysis.inputs.scenario import load_scenario

shapes = st.tuples(st.integers(1, 6), st.integers(1, 9), st.integers(1, 4))


def _layouts(a: np.ndarray):
    """The same values stored C-order, F-order and with the axes permuted in memory."""
    yield a
    yield np.asfortranarray(a)
    yield np.ascontiguousarray(a.transpose(1, 2, 0)).transpose(2, 0, 1)  # year-major, paths innermost


@given(shape=shapes, seed=st.integers(0, 2**32 - 1), axis=st.sampled_from([0, 1, 2, -1, -2]))
@settings(max_examples=60, deadline=None)
def test_chain_index_equals_cumprod_in_every_layout(shape, seed, axis):
    factors = 1.0 + np.random.default_rng(seed).normal(0, 0.05, size=shape)
    ones_shape = list(shape)
    ones_shape[axis] = 1
    want = np.concatenate([np.ones(ones_shape), np.cumprod(factors, axis=axis)], axis=axis)
    for f in _layouts(factors):
        got = chain_index(f, axis=axis)
        assert got.shape == want.shape
        assert (got == want).all()


@given(shape=shapes)
@settings(max_examples=30, deadline=None)
def test_empty_extended_keeps_the_memory_order(shape):
    for a in _layouts(np.zeros(shape)):
        out = empty_extended(a, axis=1)
        assert out.shape == (shape[0], shape[1] + 1, shape[2])
        order = lambda x: sorted(range(3), key=lambda i: (-x.strides[i], i))  # noqa: E731
        if min(shape) > 1:
            assert order(out) == order(a)


def test_a_rate_the_same_on_every_path_is_chained_once_and_broadcast():
    rate = np.array([7.5, 6.0, 5.5, 5.0])
    broadcast = np.broadcast_to(rate, (1000, 4))
    got = compound_index(broadcast)
    assert got.shape == (1000, 5) and got.strides[0] == 0 and not got.flags.writeable
    assert (got == compound_index(np.array(broadcast))).all()
    assert (got[0] == compound_index(rate)).all()


def test_annual_growth_keeps_the_layout_and_the_numbers():
    levels = np.random.default_rng(3).uniform(50, 150, size=(40, 16))
    want = annual_growth_pct(levels)
    got = annual_growth_pct(np.asfortranarray(levels))
    assert got.flags.f_contiguous
    assert np.array_equal(got, want, equal_nan=True)


@pytest.mark.parametrize("name", ["trend", "plan_targets", "high"])
def test_the_projection_on_year_major_paths_equals_the_c_order_one(name):
    """Every column of the chain, for 50 shocked paths stored both ways, bit for bit."""
    inputs = scenario_inputs(load_scenario(f"scenarios/{name}.yaml"))
    growth = np.asarray(inputs["growth_pct"], dtype=float)
    rng = np.random.default_rng(11)
    shocked = growth + rng.normal(0, 2, size=(50,) + growth.shape)
    deflator = np.asarray(inputs["deflator_pct"], dtype=float) + rng.normal(0, 1, size=(50, growth.shape[0]))
    c_order = project_arrays(**dict(inputs, growth_pct=shocked, deflator_pct=deflator))
    year_major = project_arrays(**dict(inputs, growth_pct=np.ascontiguousarray(shocked.transpose(1, 2, 0))
                                       .transpose(2, 0, 1), deflator_pct=np.asfortranarray(deflator)))
    assert c_order.keys() == year_major.keys()
    for column, values in c_order.items():
        assert np.array_equal(values, year_major[column], equal_nan=True), column
