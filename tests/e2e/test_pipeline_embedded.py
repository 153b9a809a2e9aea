"""End to end in embedded mode: one process, SQLite, no broker."""

import json
import subprocess
import sys
from pathlib import Path

from devoured_embedded.runner import run_once
from devoured_infra.settings import Settings
from tests.e2e.pipeline import write_sources
from tests.support.site import serve_site


async def test_embedded_run_builds_one_edition_with_every_article(tmp_path: Path) -> None:
    with serve_site(7) as site:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}",
            sources_file=write_sources(tmp_path / "sources.yaml", f"{site.base_url}/feed.xml"),
            out_dir=tmp_path / "out",
            fetch_allowed_networks="127.0.0.0/8",
        )
        report = await run_once(settings)
        again = await run_once(settings)
    assert [e.item_count for e in report.editions] == [7]
    assert report.dead_letters == []
    assert report.processed["devoured.page_fetched"] == 7
    # A second run finds nothing new: no article is fetched twice, the edition is unchanged.
    assert again.processed.get("devoured.page_fetched", 0) == 0
    assert again.editions == []
    edition = json.loads((tmp_path / "out" / f"{report.editions[0].edition_id}.json").read_text())
    assert edition["item_count"] == 7


def test_make_demo_command_writes_a_digest_of_the_sample_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "devoured_embedded.cli", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    markdown = (out / "latest.md").read_text()
    stories = markdown.count("\n### ")
    assert 10 <= stories <= 20, stories
    for heading in ("#### Deep dive", "#### Decoder", "#### Original article"):
        assert markdown.count(heading) >= stories // 2, heading
    for boilerplate in ("Accept all", "Manage preferences", "Share on X"):
        assert boilerplate not in markdown
    assert (out / "index.html").read_text().count("<article") == stories
