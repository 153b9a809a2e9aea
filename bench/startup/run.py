"""How fast ``devoured`` starts: wall time of a fresh process, best of 5, against the 500 ms limit.

Each command runs in a new interpreter, as a user's shell runs it (the ``devoured`` console
script is ``devoured_embedded.cli:main``):

- ``devoured --help`` and ``devoured summarize --help``: parse the arguments and print help.
- ``devoured summarize`` (extractive, a short article on stdin): the whole command, start to
  JSON; its time after start-up is the summariser's own imports and work.
- ``import devoured_embedded.cli``: the module alone, with the modules it loads that a command
  line has no use for before it runs a command (SQLAlchemy, FastStream, openai, pydantic).

``--source DIR`` measures another checkout's code with this environment's packages (its
``libs`` and ``services/*`` put first on ``PYTHONPATH``), e.g. the last commit's, exported with
``git archive HEAD libs services | tar -x -C DIR``: the "before" of a change.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

LIMIT_S = 0.5
ROUNDS = 5
HEAVY = ("sqlalchemy", "faststream", "openai", "pydantic", "aiokafka", "httpx", "rich")
ARTICLE = (
    "The city opened a new tram line on Monday. It links the station to the harbour in twelve "
    "minutes. Trams run every six minutes at peak hours. The line cost 240 million euros. "
    "Officials expect 30,000 riders a day by the end of next year."
)
CLI = "from devoured_embedded.cli import main; main()"
COMMANDS: tuple[tuple[str, list[str], str | None], ...] = (
    ("devoured --help", ["-c", CLI, "--help"], None),
    ("devoured summarize --help", ["-c", CLI, "summarize", "--help"], None),
    (
        "devoured summarize (extractive, whole run)",
        ["-c", CLI, "summarize", "--backend", "extractive"],
        ARTICLE,
    ),
)
PROBE = (
    "import sys, devoured_embedded.cli; "
    f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules) or '-')"
)


def _env(source: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if source is not None:
        roots = [source / "libs", *sorted(p for p in (source / "services").iterdir() if p.is_dir())]
        env["PYTHONPATH"] = os.pathsep.join([*map(str, roots), env.get("PYTHONPATH", "")])
    return env


def _best(args: list[str], stdin: str | None, env: dict[str, str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 (our own fixed argv)
            [sys.executable, *args],
            input=stdin or "",
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"{args} exited {done.returncode}: {done.stderr[-2000:]}")
        best = min(best, elapsed)
    return best


def bench_startup(source: Path | None = None) -> list[str]:
    env = _env(source)
    label = f" [{source}]" if source else ""
    bare = _best(["-c", "pass"], None, env)
    lines = [f"startup{label}: bare interpreter {bare * 1000:.0f} ms (best of {ROUNDS})"]
    for name, args, stdin in COMMANDS:
        wall = _best(args, stdin, env)
        verdict = "within" if wall < LIMIT_S else "OVER"
        lines.append(
            f"startup{label}: {name}: {wall * 1000:.0f} ms, ratio {wall / LIMIT_S:.2f} of the "
            f"{LIMIT_S * 1000:.0f} ms limit ({verdict})"
        )
    cli = _best(["-c", "import devoured_embedded.cli"], None, env)
    loaded = subprocess.run(  # noqa: S603 (our own fixed argv)
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    lines.append(
        f"startup{label}: import devoured_embedded.cli: {cli * 1000:.0f} ms; loads: {loaded}"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="measure this checkout's libs and services")
    args = parser.parse_args()
    for line in bench_startup(args.source):
        print(line, flush=True)


if __name__ == "__main__":
    main()
