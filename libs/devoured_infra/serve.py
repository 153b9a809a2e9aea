"""``python -m devoured_infra.serve <stage>``: run one stage as a service.

The entry point of the service images (deploy/Dockerfile), which hold only their own stage's
package and ``devoured-libs``; ``devoured serve <stage>`` does the same from the full CLI.
"""

import asyncio
import importlib
import sys

from devoured_infra.runtime import configure_logging, serve
from devoured_infra.settings import SERVICE_PORTS, Settings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in SERVICE_PORTS:
        print(
            f"usage: python -m devoured_infra.serve {{{'|'.join(SERVICE_PORTS)}}}", file=sys.stderr
        )
        return 2
    stage = args[0]
    try:
        module = importlib.import_module(f"devoured_{stage}.app")
    except ModuleNotFoundError as exc:
        print(f"stage {stage!r} is not installed in this image: {exc}", file=sys.stderr)
        return 2
    settings = Settings()
    configure_logging(settings.log_level)
    asyncio.run(serve(module.create_app(settings), settings, stage))
    return 0


if __name__ == "__main__":
    sys.exit(main())
