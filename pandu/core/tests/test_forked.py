"""Messages from a forked producer: delivered in order, a dead or silent producer reported."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

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


# --- A producer whose parent is killed ----------------------------------------------------------


def _stuck_producer(channel, death_signal: bool) -> None:
    """Puts until the queue is full, then waits there: nobody reads any more. With the death
    signal, the watchdog looks too late to be what ends it in the test."""
    forked.die_with_parent(death_signal=death_signal, poll=60 if death_signal else 0.2)
    while True:
        channel.put(("rows", list(range(1000))))


def _parent_of_a_stuck_producer(report, death_signal: bool) -> None:
    channel = ctx.Queue(maxsize=2)
    child = ctx.Process(target=_stuck_producer, args=(channel, death_signal))
    child.start()
    report.send(child.pid)
    child.join()  # until it is killed


def _ended(pid: int) -> bool:
    """Gone, or dead and waiting to be reaped by whoever adopted it."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
@pytest.mark.parametrize(
    "death_signal", [True, False], ids=["the kernel's death signal", "the watchdog alone"]
)
def test_a_producer_stuck_on_a_full_queue_ends_when_its_parent_is_killed(death_signal):
    receive, report = ctx.Pipe(duplex=False)
    parent = ctx.Process(target=_parent_of_a_stuck_producer, args=(report, death_signal))
    parent.start()
    assert receive.poll(30)
    child = receive.recv()
    time.sleep(0.5)  # the queue fills up
    try:
        assert not _ended(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.join(5)
        deadline = time.monotonic() + 5
        while not _ended(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ended(child), "the producer outlived its parent"
    finally:
        if not _ended(child):
            os.kill(child, signal.SIGKILL)  # this test's own leftover
