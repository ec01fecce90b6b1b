"""The request channel between the two grading kernels (autograder/kernelside.py), with the two sides
linked in one process: what the relay would carry, carried at once. Fast: NumPy only."""
from __future__ import annotations

import numpy as np
import pytest

from autograder import kernelside, wire
from rnncourse import checks


class Linked(kernelside.Side):
    """A side whose requests the other side answers at once; it counts the round trips."""

    def __init__(self, role):
        super().__init__(wire, role)
        self.other, self.trips = None, 0

    def _send(self, kind, text):
        self.trips += 1
        return kernelside.PREFIX + "A" + self.other.answer(text)


def linked(fn):
    checker, student = Linked("checker"), Linked("student")
    checker.other, student.other = student, checker
    return checker, checker.proxy(student.keep(fn), True, "function")


def draw(probs, rng):
    return int(rng.choice(len(probs), p=probs))


def test_repeated_calls_are_one_request_and_move_the_generator_on():
    checker, remote = linked(draw)
    p = np.array([0.2, 0.5, 0.3])
    rng, local = np.random.default_rng(4), np.random.default_rng(4)
    got = checks.repeated_calls(remote, 500, p, rng)
    assert got == [draw(p, local) for _ in range(500)] and checker.trips == 1
    assert rng.bit_generator.state == local.bit_generator.state      # the checker's generator moved on
    assert remote(p, rng) == draw(p, local) and checker.trips == 2     # and so does one plain call
    assert checks.repeated_calls(draw, 3, p, np.random.default_rng(4)) == got[:3]   # locally: the loop


def test_repeated_calls_are_bounded_and_checked():
    _, remote = linked(draw)
    with pytest.raises(ValueError):
        checks.repeated_calls(remote, kernelside.MAX_ITEMS_ITERATED + 1, [1.0], np.random.default_rng())
    with pytest.raises(ValueError):
        checks.repeated_calls(remote, -1, [1.0], np.random.default_rng())
    _, failing = linked(lambda probs, rng: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        checks.repeated_calls(failing, 10, [1.0], np.random.default_rng())


class Refuse:
    """A guard as ``rnncourse.architecture.forbid_keras`` is one: it checks the function where it lives."""

    def __init__(self, seen=None):
        self.seen = seen

    def for_function(self, func):
        import contextlib

        @contextlib.contextmanager
        def around():
            if func.__name__ == "draw":
                raise AssertionError(f"`{func.__name__}` is not allowed here")
            yield
        return around()


def test_a_guard_crosses_with_the_call_and_checks_the_real_function():
    checker, remote = linked(draw)
    checker._course_object = lambda obj: isinstance(obj, Refuse)      # as course classes cross
    p = np.array([1.0])
    type(remote).__guard__(remote, Refuse())
    with pytest.raises(AssertionError, match="`draw` is not allowed"):
        remote(p, np.random.default_rng())
    type(remote).__unguard__(remote)
    assert remote(p, np.random.default_rng()) == 0                    # unguarded again
    assert checker.guards == {1: []}


def test_a_call_that_changes_its_arrays_in_place_cannot_reach_the_callers_data():
    """A cheat zeroes the test's inputs so that the expected value, computed after the call, matches
    its zeros: the arrays it changes are the student kernel's copies."""
    def zero_inputs(x, W):
        x[:] = 0
        W[:] = 0
        return np.zeros(len(W))

    _, remote = linked(zero_inputs)
    x, W = np.ones(2), np.ones((3, 2))
    got = remote(x, W)
    assert got.tolist() == [0.0, 0.0, 0.0] and x.tolist() == [1.0, 1.0] and (W == 1).all()
