"""A quick mutation check of one store/ module against the test files that are about it.

    mutmut run "store.file.storage*"    # once, to generate mutants/ (stop it with ctrl+c if it is slow)
    python tests/mutation_focus.py store.file.storage tests/store/file/test_storage.py tests/store/file/test_write_lock.py
    python tests/mutation_focus.py --wide store.file.storage tests/store/file/test_storage.py  # survivors: every store test

Why: in a full ``mutmut run`` a surviving mutant of a function every test touches (the schema
check, the transaction) reruns the whole store selection (over a minute each), so a module can
take an hour. This runs each of the module's mutants (the ones mutmut generated in ``mutants/``)
in one process against the given files only, with the current tests copied in first. Fewer tests
run, so its score is a lower bound of mutmut's; a survivor here is worth a look, not proof.

It resumes where it stopped (results in ``mutants/focus-MODULE.txt``: NAME EXIT-CODE; delete a
line to check that mutant again) and prints the score without the listed equivalents
(tests/mutation_equivalents.md) and the survivors. A mutant that hangs (a FIFO opened without
O_NONBLOCK, say) is stopped after MUTANT_TIMEOUT seconds (default 60) and counted as killed
(the score line says how many). Each mutant runs in a forked child of a process that has only
imported pytest, so a cache one mutant fills (``_e164``'s, the email verdicts) can't make the next
one fail or pass; a child may use MUTANT_MEMORY_MB of memory (default 4096). Hypothesis's deadline
and health checks are off there, so that a test that only ran slowly is not taken for a kill.

With ``--wide``, each survivor not listed as equivalent then runs against mutmut's whole test
selection (pyproject.toml, ``[tool.mutmut]``), as ``mutmut run`` would: a test elsewhere that kills
it counts (results in ``mutants/focus-MODULE.wide.txt``; a hang there is cut at 20 times
MUTANT_TIMEOUT). Listed equivalents that a test kills
are named, so the list can be put right.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python tests/mutation_focus.py`, Python puts tests/ first on the path, where tests/csv
# would hide the standard library's csv module from pytest: take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import contextlib
import io
import json
import os
import resource
import shutil
import signal
import time

ROOT = Path(__file__).resolve().parent.parent
SURVIVED = {0, 5}  # pytest: all passed, or no test ran
TIMED_OUT = 124  # the tests ran past MUTANT_TIMEOUT with the mutant (counted as killed, and said)


def _pytest(files: list[str]) -> int:
    import pytest

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *files]))


def _whole_selection() -> list[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    return list(config["pytest_add_cli_args_test_selection"])


def _no_timing_checks() -> None:
    """Hypothesis's deadline and health checks fail a test that merely ran slowly (a busy machine,
    two runners on two cores): that would count as a kill. Off for every test that does not set
    its own."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("mutation", deadline=None, suppress_health_check=list(HealthCheck))
    settings.load_profile("mutation")


def _run_in_child(name: str, files: list[str], timeout: float) -> int:
    """pytest's exit code for ``files`` with mutant ``name`` active, in a forked child: nothing one
    mutant leaves behind (a module-level cache, a verdict remembered) reaches the next, or the
    parent. TIMED_OUT if it hangs past ``timeout`` seconds."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            # A mutant that reads without a bound (stream.read(None) on /dev/zero) raises MemoryError
            # here instead of taking the machine's memory: counted as killed, like any failure.
            limit = int(os.environ.get("MUTANT_MEMORY_MB", "4096")) * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.environ["MUTANT_UNDER_TEST"] = name
            _no_timing_checks()
            code = _pytest(files)
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return TIMED_OUT
        time.sleep(0.02)


def _run_each(names: list[str], files: list[str], results: dict[str, str], results_path: Path, timeout: float) -> None:
    with results_path.open("a") as out:
        for name in names:
            if name in results:
                continue
            code = _run_in_child(name, files, timeout)
            results[name] = str(code)
            out.write(f"{name} {code}\n")
            out.flush()


def _read_results(path: Path) -> dict[str, str]:
    return dict(line.split() for line in path.read_text().splitlines() if line.strip()) if path.exists() else {}


def main(argv: list[str]) -> int:
    wide = "--wide" in argv
    argv = [arg for arg in argv if arg != "--wide"]
    if len(argv) < 2:
        print(__doc__)
        return 2
    module, files = argv[0], argv[1:]
    mutants = ROOT / "mutants"
    meta_path = mutants / (module.replace(".", "/") + ".py.meta")
    if not meta_path.exists():
        print(f"No mutants of {module}: run `mutmut run \"{module}*\"` first.", file=sys.stderr)
        return 1
    shutil.copytree(ROOT / "tests", mutants / "tests", dirs_exist_ok=True)
    os.chdir(mutants)
    sys.path.insert(0, str(mutants))
    names = sorted(json.loads(meta_path.read_text())["exit_code_by_key"])
    import pytest  # noqa: F401  (imported once here; each child starts with it warm)

    baseline = _run_in_child("", files, float("inf"))
    if baseline != 0:
        print(f"The tests fail without any mutant (pytest exit {baseline}): fix them first.", file=sys.stderr)
        return 1
    results_path = mutants / f"focus-{module}.txt"
    results = _read_results(results_path)
    timeout = int(os.environ.get("MUTANT_TIMEOUT", "60"))
    _run_each(names, files, results, results_path, timeout)
    from tests.mutation_report import EQUIVALENTS, equivalent_names

    equivalent = equivalent_names(EQUIVALENTS.read_text())
    live = {name: int(code) for name, code in results.items() if name not in equivalent}
    if wide:
        wide_path = mutants / f"focus-{module}.wide.txt"
        wide_results = _read_results(wide_path)
        focused_survivors = sorted(name for name, code in live.items() if code in SURVIVED)
        _run_each(focused_survivors, _whole_selection(), wide_results, wide_path, 20 * timeout)
        live.update({name: int(wide_results[name]) for name in focused_survivors})
    survivors = sorted(name for name, code in live.items() if code in SURVIVED)
    killed_equivalents = sorted(
        name for name, code in results.items() if name in equivalent and int(code) not in SURVIVED | {TIMED_OUT}
    )
    timed_out = sum(code == TIMED_OUT for code in live.values())
    print(f"{module}: {len(live) - len(survivors)} of {len(live)} non-equivalent mutants killed "
          f"({len(results) - len(live)} listed as equivalent"
          + (f"; {timed_out} of the killed by timing out" if timed_out else "") + ")")
    for name in survivors:
        print("   ", name)
    for name in killed_equivalents:
        print(f"    listed as equivalent but a test kills it: {name} (check tests/mutation_equivalents.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
