"""Messages from a forked producer: delivered in order, a dead or silent producer reported."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from pandu.core import forked

ctx = multiprocessing.get_context("fork")


def _send_then(channel, then: str) -> None:
    channel.put(("rows", [1, 2]))
    channel.put(("rows", [3]))
    if then == "done":
        channel.put(("done", None))
    channel.close()
    channel.join_thread()
    if then == "die":
        os._exit(3)
    if then == "hang":
        multiprocessing.Event().wait(30)


def _start(then: str):
    channel = ctx.Queue()
    proc = ctx.Process(target=_send_then, args=(channel, then), daemon=True)
    proc.start()
    return proc, channel


def _collect(proc, channel, **timing) -> list:
    got = []
    for kind, payload in forked.messages(proc, channel, **timing):
        if kind == "done":
            break
        got.append(payload)
    return got


def test_messages_arrive_in_order_until_the_producer_says_done():
    proc, channel = _start("done")
    assert _collect(proc, channel, poll=0.2) == [[1, 2], [3]]
    proc.join(5)


def test_a_producer_that_dies_is_reported_with_its_exit_code():
    proc, channel = _start("die")
    got: list = []
    with pytest.raises(forked.ProducerStopped) as stopped:
        for _kind, payload in forked.messages(proc, channel, poll=0.2):
            got.append(payload)
    assert got == [[1, 2], [3]]  # what it sent before dying still arrives
    assert stopped.value.exit_code == 3 and "exit code 3" in str(stopped.value)


def test_a_producer_that_sends_nothing_for_too_long_is_given_up():
    proc, channel = _start("hang")
    try:
        with pytest.raises(forked.ProducerStopped) as stopped:
            _collect(proc, channel, poll=0.1, stall=0.5)
        assert stopped.value.exit_code is None and str(stopped.value) == "stopped sending"
    finally:
        proc.terminate()
        proc.join(5)
