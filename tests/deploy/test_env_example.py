""".env.example documents every setting a Devoured process reads."""

from pydantic_settings import BaseSettings

from devoured_infra import registry
from devoured_infra.kafka import ShutdownSettings
from devoured_infra.lag import LagSettings
from devoured_infra.settings import Settings, env_names
from tests.deploy.tools import ROOT

# The shared settings, then each installed service's own (its descriptor names them).
SETTINGS: tuple[type[BaseSettings], ...] = (
    Settings,
    ShutdownSettings,
    LagSettings,
    *(kind for service in registry.installed() for kind in service.settings),
)


def _documented_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        stripped = line.lstrip("# ").strip()
        if "=" in stripped and stripped.split("=", 1)[0].isupper():
            names.add(stripped.split("=", 1)[0])
    return names


def test_every_setting_is_in_env_example() -> None:
    documented = _documented_names()
    expected = [names for kind in SETTINGS for names in env_names(kind).values()]
    assert ("DEVOURED_SOURCES_FILE",) in expected  # the services' settings are in the list
    missing = [names for names in expected if not set(names) & documented]
    assert missing == []
