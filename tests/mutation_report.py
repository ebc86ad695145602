"""Score of a mutmut run per store/ module, leaving out the mutants listed as equivalent.

    python tests/mutation_report.py            # every module mutmut has checked
    python tests/mutation_report.py --survivors  # and the survivors nobody has explained yet

Reads mutmut's results in ``mutants/`` (run from the project folder after ``mutmut run``) and the
equivalent mutants named in ``tests/mutation_equivalents.md``. Not-yet-checked mutants are left
out of the score and counted apart.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.md"
# mutmut's exit codes that mean the tests did not notice the change (survived, or no test ran it)
NOT_KILLED = {0, 5, 33}


def equivalent_names(text: str) -> set[str]:
    return set(re.findall(r"`(store\.[^`\s]+__mutmut_\d+)`", text))


def scores(mutants: Path, equivalent: set[str]) -> list[tuple[str, int, int, int, list[str]]]:
    rows = []
    for meta in sorted(mutants.glob("store/**/*.py.meta")):
        module = ".".join(meta.relative_to(mutants).with_suffix("").with_suffix("").parts)
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        checked = {name: code for name, code in codes.items() if code is not None and name not in equivalent}
        if not checked:
            continue
        survivors = sorted(name for name, code in checked.items() if code in NOT_KILLED)
        unchecked = sum(code is None for code in codes.values())
        rows.append((module, len(checked), len(checked) - len(survivors), unchecked, survivors))
    return rows


def stale_equivalents(mutants: Path, equivalent: set[str]) -> list[tuple[str, str]]:
    """Listed equivalents that a test kills (so not equivalent) or that no longer exist (renumbered)."""
    known: dict[str, int | None] = {}
    modules: set[str] = set()
    for meta in mutants.glob("store/**/*.py.meta"):
        modules.add(".".join(meta.relative_to(mutants).with_suffix("").with_suffix("").parts))
        known.update(json.loads(meta.read_text())["exit_code_by_key"])
    found = []
    for name in sorted(equivalent):
        if name.split(".x")[0] not in modules:
            continue  # a module not run here
        if name not in known:
            found.append((name, "mutmut does not know (renumbered?)"))
        elif known[name] is not None and known[name] not in NOT_KILLED:
            found.append((name, "a test kills"))
    return found


def main(argv: list[str]) -> int:
    equivalent = equivalent_names(EQUIVALENTS.read_text(encoding="utf-8"))
    rows = scores(Path("mutants"), equivalent)
    for name, problem in stale_equivalents(Path("mutants"), equivalent):
        print(f"tests/mutation_equivalents.md lists {name}, which {problem}: check the list")
    if not rows:
        print("No mutmut results here: run `mutmut run` first (see README, Mutation testing).")
        return 1
    print(f"{'module':40} {'killed':>7} {'of':>5} {'score':>7} {'unchecked':>10}")
    for module, checked, killed, unchecked, survivors in rows:
        print(f"{module:40} {killed:7d} {checked:5d} {100 * killed / checked:6.1f}% {unchecked:10d}")
        if "--survivors" in argv:
            for name in survivors:
                print(f"    {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
