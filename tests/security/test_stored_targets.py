"""Deliveries stored before targets were redacted: the migration rewrites their webhook URLs
to the ids the publisher now uses, so they still count as delivered and no URL is kept."""

import sqlite3
from pathlib import Path

from devoured_infra.migrate import upgrade
from devoured_publisher.delivery import target_id

HOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"


def test_migration_replaces_stored_webhook_urls_by_their_ids(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0008_publisher_claims")
    upgrade(url, "0003_publisher")
    with sqlite3.connect(path) as db:
        db.executemany(
            "insert into publisher_deliveries values (?, ?, ?, null, 1, ?)",
            [
                ("2026-11-28", "webhook", HOOK, f"webhook: {HOOK} answered HTTP 500"),
                ("2026-11-28", "email", "ana@example.org", None),
            ],
        )
        db.execute(
            "insert into publisher_delivery_claims values (?, 'webhook', ?, 0, 'x', ?)",
            ("2026-11-28", HOOK, "2026-11-29 00:00:00"),
        )
    upgrade(url)
    upgrade(url)  # again: nothing changes
    with sqlite3.connect(path) as db:
        deliveries = db.execute("select target, error from publisher_deliveries").fetchall()
        claims = db.execute("select target from publisher_delivery_claims").fetchall()
    assert sorted(deliveries) == [
        ("ana@example.org", None),
        (target_id(HOOK), f"webhook: {target_id(HOOK)} answered HTTP 500"),
    ]
    assert claims == [(target_id(HOOK),)]
