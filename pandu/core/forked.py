"""Work in forked processes: receiving what a producer sends, and reading under a memory cap.

The import's parser and the registry generator run in forked processes that put
``(kind, payload)`` messages on a queue. :func:`messages` yields them and notices when the
producer died or went silent, instead of waiting forever.

A spreadsheet reader allocates what the file declares, and one written in Rust aborts the
whole process when an allocation fails. :func:`limit_memory` caps a child's address space
(``RLIMIT_AS``) so that such a file ends that child, not the worker; :func:`run_limited` runs
one function that way and hands back its result, or raises :class:`ChildFailed`.

A producer blocked on a full queue waits for a reader; if a ``kill -9`` (or the OOM killer)
took that reader away it would wait as an orphan for ever. Every forked child here calls
:func:`die_with_parent` first, so that it ends with the process that forked it.
"""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

#: Seconds between liveness checks of the producer while nothing arrives.
POLL_SECONDS = 5.0
#: Give up when the producer, still alive, has sent nothing for this long.
STALL_SECONDS = 600.0


class ProducerStopped(RuntimeError):
    """The producer process died (``exit_code`` set) or stopped sending (``exit_code`` None)."""

    def __init__(self, exit_code: int | None) -> None:
        self.exit_code = exit_code
        super().__init__(
            f"stopped unexpectedly (exit code {exit_code})"
            if exit_code is not None
            else "stopped sending"
        )


def messages(
    proc: Any, channel: Any, *, poll: float = POLL_SECONDS, stall: float = STALL_SECONDS
) -> Iterator[tuple[str, Any]]:
    """``(kind, payload)`` messages from ``channel`` as ``proc`` sends them, for ever: the
    caller stops at its own end message. Raises :class:`ProducerStopped`."""
    waited = 0.0
    while True:
        try:
            message = channel.get(timeout=poll)
        except queue.Empty:
            waited += poll
            if not proc.is_alive():
                raise ProducerStopped(proc.exitcode) from None
            if waited > stall:
                raise ProducerStopped(None) from None
            continue
        waited = 0.0
        yield message


# --- Children that end with their parent -----------------------------------------------------

#: Seconds between the fallback's checks that the parent is still there.
PARENT_POLL_SECONDS = 1.0
#: Exit code of a child that ended because its parent was gone.
ORPHANED = 70
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(
    parent_pid: int | None = None, *, death_signal: bool = True, poll: float = PARENT_POLL_SECONDS
) -> None:
    """In a forked child, first thing: end as soon as the process that forked it has ended.

    On Linux the kernel sends the child SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``,
    at no cost while the parent lives). It is tied to the parent's thread that forked, and other
    systems have nothing like it, so a watchdog thread also checks once every ``poll`` seconds
    that the child still has the same parent; that covers every place the child can block (a
    put on a full queue, the queue's feeder flushing into a full pipe at the end).
    ``parent_pid`` defaults to the multiprocessing parent, recorded before the fork, so a
    parent that died before this call is noticed too."""
    if parent_pid is None:
        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else os.getppid()
    if death_signal:
        _ask_for_death_signal()
    if os.getppid() != parent_pid:  # gone already (before the signal was asked for)
        os._exit(ORPHANED)
    threading.Thread(
        target=_watch_parent, args=(parent_pid, poll), name="parent watch", daemon=True
    ).start()


def _ask_for_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # no C library to ask: the watchdog remains
        return False


def _watch_parent(parent_pid: int, poll: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(poll)
    os._exit(ORPHANED)  # from this thread: ends the whole child at once


# --- Memory-capped children -------------------------------------------------------------------


class ChildFailed(RuntimeError):
    """The child ended without an answer: killed, out of memory, or past its time."""

    def __init__(self, exit_code: int | None, timed_out: bool = False) -> None:
        self.exit_code = exit_code
        self.timed_out = timed_out
        super().__init__("timed out" if timed_out else f"ended with exit code {exit_code}")


def address_space() -> int:
    """Bytes of address space this process holds now (``VmSize``)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(extra_bytes: int) -> None:
    """Cap this process's address space at what it holds now plus ``extra_bytes``: an
    allocation past it fails here instead of taking the machine's memory."""
    if extra_bytes <= 0:
        return
    faulthandler.disable()  # an abort here is reported by the parent; no stack dump
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = address_space() + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _run_child(fn: Callable[..., Any], args: tuple, extra_bytes: int, answer: Any) -> None:
    try:
        die_with_parent()
        limit_memory(extra_bytes)
        result: tuple[str, Any] = ("ok", fn(*args))
    except BaseException as exc:  # every failure goes back to the parent as an answer
        result = ("raised", exc)
    try:
        answer.send(result)
    except Exception as exc:  # the exception itself would not pickle
        answer.send(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        answer.close()


def run_limited(
    fn: Callable[..., Any], *args: Any, memory_bytes: int, timeout: float = 3600.0
) -> Any:
    """``fn(*args)`` in a forked child whose address space may grow by ``memory_bytes``.

    Returns its result or raises what it raised; raises :class:`ChildFailed` when the child
    died without answering (an aborted allocation: exit code -6) or ran past ``timeout``."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_child, args=(fn, args, memory_bytes, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise ChildFailed(None, timed_out=True)
        try:
            status, value = receive.recv()
        except EOFError:
            proc.join(timeout=10)
            raise ChildFailed(proc.exitcode) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=10)
    if status == "raised":
        raise value
    return value
