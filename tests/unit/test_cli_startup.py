"""``devoured`` starts without importing what only a running command needs.

The command line reads every installed service's descriptor before it parses its arguments, so
the descriptors, the registry and the CLI module must import neither SQLAlchemy, FastStream,
openai nor pydantic: each is imported by the command that uses it. Checked in a fresh
interpreter (``sys.modules``), which is deterministic, unlike a timing (that is in
``bench/startup``).
"""

import subprocess
import sys
import textwrap

import pytest
from pydantic_settings import BaseSettings
from sqlalchemy import MetaData

from devoured_core.messages import ArticleExtracted, PageFetched
from devoured_infra import registry
from devoured_infra.service import Input, ServiceDescriptor, Wiring

HEAVY = ("sqlalchemy", "faststream", "openai", "pydantic", "aiokafka", "httpx", "trafilatura")


def _loaded_after(code: str, *argv: str) -> set[str]:
    """The heavy modules loaded once ``code`` ran in a fresh interpreter."""
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(\n"
        f"    'LOADED', *[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr))\n"
        f"{textwrap.dedent(code)}"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=False
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("LOADED")]
    assert marker, done.stderr
    return set(marker[-1].split()[1:])


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    assert _loaded_after("import devoured_embedded.cli") == set()


def test_reading_every_descriptor_loads_no_heavy_library() -> None:
    code = """
        from devoured_infra import registry
        installed = registry.installed()
        assert len(installed) >= 4, installed
        print([d.name for d in installed], registry.names(), [d.port for d in installed])
    """
    assert _loaded_after(code) == set()


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"]], ids=" ".join)
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    code = "from devoured_embedded.cli import main; main()"
    assert _loaded_after(code, *argv) <= {"pydantic"}  # typer coerces options with pydantic


def test_lazy_descriptor_fields_resolve_to_what_they_name() -> None:
    for descriptor in registry.installed():
        assert descriptor.inputs
        assert all(isinstance(i, Input) for i in descriptor.inputs)
        assert descriptor.inputs_loaded
        assert descriptor.tables is None or isinstance(descriptor.tables, MetaData)
        assert all(issubclass(s, BaseSettings) for s in descriptor.settings)
        assert descriptor.migrations is None or descriptor.migrations.is_dir()


def test_a_lazily_given_input_twice_is_refused_when_read() -> None:
    calls: list[str] = []

    def inputs() -> tuple[Input, ...]:
        calls.append("read")
        return (Input(ArticleExtracted), Input(ArticleExtracted))

    twice = ServiceDescriptor(
        name="twice", port=9196, inputs=inputs, bootstrap=lambda _: Wiring([])
    )
    assert not twice.inputs_loaded
    assert registry.ordered([twice]) == (twice,)  # not read yet: nothing imported
    assert calls == []
    with pytest.raises(ValueError, match="twice input"):
        _ = twice.inputs


def test_lazy_fields_are_read_once() -> None:
    calls: list[str] = []

    def inputs() -> tuple[Input, ...]:
        calls.append("inputs")
        return (Input(PageFetched),)

    def tables() -> MetaData:
        calls.append("tables")
        return MetaData()

    lazy = ServiceDescriptor(
        name="lazy", port=9195, inputs=inputs, tables=tables, bootstrap=lambda _: Wiring([])
    )
    assert lazy.main_input.message is PageFetched
    assert lazy.inputs is lazy.inputs
    assert lazy.tables is lazy.tables
    assert calls == ["inputs", "tables"]
