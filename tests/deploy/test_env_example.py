""".env.example documents every setting a Devoured process reads."""

from pydantic_settings import BaseSettings

from devoured_extractor.settings import ExtractorSettings
from devoured_fetcher.settings import FetcherSettings
from devoured_infra.kafka import ShutdownSettings
from devoured_infra.lag import LagSettings
from devoured_infra.settings import Settings
from devoured_publisher.settings import PublisherSettings
from devoured_summarizer.settings import SummarizerSettings
from tests.deploy.tools import ROOT

# Read under their unprefixed names (the DEVOURED_ forms are accepted too).
ALIASES = {"database_url": "DATABASE_URL", "kafka_bootstrap_servers": "KAFKA_BOOTSTRAP_SERVERS"}


def _documented_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        stripped = line.lstrip("# ").strip()
        if "=" in stripped and stripped.split("=", 1)[0].isupper():
            names.add(stripped.split("=", 1)[0])
    return names


def test_every_setting_is_in_env_example() -> None:
    documented = _documented_names()
    classes: tuple[type[BaseSettings], ...] = (
        Settings,
        ShutdownSettings,
        LagSettings,
        FetcherSettings,
        ExtractorSettings,
        SummarizerSettings,
        PublisherSettings,
    )
    expected = {
        ALIASES.get(field, f"{cls.model_config.get('env_prefix') or 'DEVOURED_'}{field.upper()}")
        for cls in classes
        for field in cls.model_fields
    }
    assert sorted(expected - documented) == []
