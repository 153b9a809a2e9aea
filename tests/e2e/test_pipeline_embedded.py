"""End to end in embedded mode: one process, SQLite, no broker."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from devoured_embedded.runner import run_once
from devoured_infra.settings import Settings
from tests.e2e.pipeline import embedded_overrides
from tests.support.site import serve_site


async def test_embedded_run_builds_one_edition_with_every_article(tmp_path: Path) -> None:
    with serve_site(7) as site:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}")
        overrides = embedded_overrides(tmp_path, f"{site.base_url}/feed.xml")
        report = await run_once(settings, overrides=overrides)
        again = await run_once(settings, overrides=overrides)
    assert [e.item_count for e in report.editions] == [7]
    assert report.dead_letters == []
    assert report.processed["devoured.page_fetched"] == 7
    # A second run finds nothing new: no article is fetched twice, the edition is unchanged.
    assert again.processed.get("devoured.page_fetched", 0) == 0
    assert again.editions == []
    edition_id = report.editions[0].edition_id
    edition = json.loads((tmp_path / "out" / f"{edition_id}.json").read_text())
    assert edition["item_count"] == 7
    first_build = (tmp_path / "out" / f"{edition_id}.md").read_text()

    # `devoured digest build` rebuilds the same edition from the database: same content.
    (tmp_path / "out" / f"{edition_id}.md").unlink()
    rebuilt = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "devoured_embedded.cli", "digest", "build", "--date", edition_id],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            **os.environ,
            "DEVOURED_DATABASE_URL": settings.database_url,
            "DEVOURED_OUT_DIR": str(tmp_path / "out"),
        },
    )
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert (tmp_path / "out" / f"{edition_id}.md").read_text() == first_build


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
