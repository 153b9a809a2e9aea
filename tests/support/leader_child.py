"""A replica in a process of its own, for the paused-leader test:
``python -m tests.support.leader_child DATABASE_URL NAME TTL_S``.

It acquires lease NAME (renewing it in the background), prints ``leading <epoch>`` and waits
for a line on stdin; the test pauses it (SIGSTOP) meanwhile. Then it reports whether it still
leads, and whether a write fenced by the term it held before the pause was accepted.
"""

import asyncio
import sys

from devoured_core.errors import StaleLeader
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.leader import LeaderLease
from tests.support.leaders import LeaseUnitOfWork


async def main(database_url: str, name: str, ttl_s: float) -> None:
    engine = create_engine(database_url)
    lease = LeaderLease(engine, name, holder="child", ttl_s=ttl_s)
    try:
        if not await lease.try_acquire():
            print("follower", flush=True)
            return
        term = lease.term()
        print(f"leading {term.epoch}", flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # paused in here, then woken up
        held = lease.held
        try:
            async with LeaseUnitOfWork(create_sessionmaker(engine), service="test") as uow:
                await uow.leases.fence(term)
                await uow.commit()
            write = "accepted"
        except StaleLeader:
            write = "refused"
        print(f"held={held} write={write} leads={await lease.try_acquire()}", flush=True)
    finally:
        await lease.release()
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
