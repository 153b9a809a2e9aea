"""Serving an ASGI app on 127.0.0.1 inside the test's event loop, over real HTTP."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import uvicorn


@asynccontextmanager
async def serve_asgi(
    app: Any, port: int, *, lifespan: Literal["on", "off"] = "on"
) -> AsyncIterator[None]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan=lifespan, log_config=None)
    )
    task = asyncio.create_task(server.serve())
    # uvicorn offers a flag, not an event, to say it is listening.
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped before it started")
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)
