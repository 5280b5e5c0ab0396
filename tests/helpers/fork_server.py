"""A fork server for the safety tests: many real planner processes, cheaply.

Python and pydantic take about half a second to start, so a test that starts a fresh
interpreter per process spends its time (and its kills) in start-up. This server imports
planner's command line once and then forks one child per command it is asked to run.
Each child is a real, separate process that runs planner's command line exactly as the
``planner`` script does, with its stdout and stderr going to files, line by line, so that
what a killed child printed is on disk. The server imports the core (pydantic, the model,
the agenda) before forking, but not the format loaders: each child imports the one it
needs, as a fresh ``planner`` would.

Requests are JSON lines on stdin; each gets one answer line on stdout.

- ``{"mode": "run", "args": [...], "out": PATH, "err": PATH, "memory": BYTES, "timeout": S}``:
  one child runs ``planner ARGS`` under an address-space limit; a child still running after
  ``timeout`` seconds is killed. Answer: ``{"code": EXIT CODE or null, "timed_out": bool,
  "signal": SIGNAL or null}``.
- ``{"mode": "sequence", "log": PATH, "commands": [[arg, ...], ...]}``: one child runs the
  commands one after another, writing ``op N`` to its log before each; each command prints
  its confirmation ("added ...", "dropped ...") only after its save. Answers the child's
  pid at once (the test kills the child), then its wait status.
- ``{"mode": "race", "logs": [PATH, ...], "commands": [[arg, ...], ...]}``: one child per
  command, all held at a barrier (a pipe that the server closes once every child exists).
  Answer: the wait statuses, space separated.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable

from planner.cli import cli, main


def redirect_output(out: str, err: str | None = None) -> None:
    for target, stream in ((out, 1), (err or out, 2)):
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, stream)
        os.close(fd)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115 - lives until _exit
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115


def run_planner(args: list[str]) -> None:
    cli.main(args, prog_name="planner", standalone_mode=False)


def fork(work: Callable[[], None]) -> int:
    """Fork a child that runs ``work`` and leaves without the parent's clean-up; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        work()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def answer(value: object) -> None:
    print(value if isinstance(value, (int, str)) else json.dumps(value), flush=True)


def run(request: dict) -> None:
    def work() -> None:
        redirect_output(request["out"], request["err"])
        limit = request["memory"]
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        sys.argv = ["planner", *request["args"]]
        main()

    pid = fork(work)
    deadline = time.monotonic() + request["timeout"]
    timed_out = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            timed_out = True
            status = os.waitpid(pid, 0)[1]
            break
        time.sleep(0.002)
    answer(
        {
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "timed_out": timed_out,
        }
    )


def sequence(request: dict) -> None:
    def work() -> None:
        redirect_output(request["log"])
        for number, args in enumerate(request["commands"]):
            print(f"op {number}")
            run_planner(args)
        print("done")

    pid = fork(work)
    answer(pid)
    answer(os.waitpid(pid, 0)[1])


def race(request: dict) -> None:
    barrier_read, barrier_write = os.pipe()
    pids = []
    for log, args in zip(request["logs"], request["commands"], strict=True):

        def work(log: str = log, args: list[str] = args) -> None:
            os.close(barrier_write)
            os.read(barrier_read, 1)  # returns (empty) when the server closes its end
            redirect_output(log)
            run_planner(args)

        pids.append(fork(work))
    os.close(barrier_read)
    os.close(barrier_write)  # every child exists: let them all go at once
    answer(" ".join(str(os.waitpid(pid, 0)[1]) for pid in pids))


def serve() -> None:
    # The core (pydantic and all) once, here; the format loaders stay for each child to import.
    import planner.agenda
    import planner.clashes
    import planner.present
    import planner.sources  # noqa: F401

    modes = {"run": run, "sequence": sequence, "race": race}
    for line in sys.stdin:
        request = json.loads(line)
        modes[request["mode"]](request)


if __name__ == "__main__":
    serve()
