"""Waiting for a condition, for tests with other processes or threads.

A test waits for what it expects to happen, never for a fixed time: a fixed sleep is too long
on a fast machine and too short on a busy one. The timeout is only an upper bound that turns a
hung process into a failure with a clear message; how fast things are is `make bench`'s job.
"""

import threading
import time
from collections.abc import Callable


def wait_until(
    predicate: Callable[[], object],
    *,
    timeout: float = 30,
    message: str = "the condition",
    interval: float = 0.05,
) -> None:
    """Poll `predicate` until it is true; fail after `timeout` seconds naming what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"Gave up after {timeout:g} s waiting for {message}.")
        time.sleep(interval)


def finishes(call: Callable[[], object], *, timeout: float = 60, message: str = "the call") -> None:
    """Run `call` in a thread and fail if it has not returned after `timeout` seconds (a hang);
    an exception it raises is raised here."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise AssertionError(f"{message} still had not returned after {timeout:g} s: it hangs.")
    if errors:
        raise errors[0]
