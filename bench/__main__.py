"""``python -m bench``: list the benchmarks; ``python -m bench <name> [options]``: run one;
``python -m bench all [options]``: run every one."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"common", "__main__"}


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name not in NOT_BENCHMARKS)


def main(argv: list[str]) -> int:
    names = available()
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        print("benchmarks:", ", ".join(names))
        return 0
    name, rest = argv[0], argv[1:]
    if name == "all":
        status = 0
        for each in names:
            print(f"=== bench {each} ===", flush=True)
            status |= importlib.import_module(f"bench.{each}").main(rest) or 0
        return status
    if name not in names:
        print(f"unknown benchmark {name!r}; choose from: {', '.join(names)}", file=sys.stderr)
        return 2
    return importlib.import_module(f"bench.{name}").main(rest) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
