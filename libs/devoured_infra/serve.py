"""``python -m devoured_infra.serve <service>``: run one installed service.

The entry point of the service images (deploy/Dockerfile), which hold only their own service's
package and ``devoured-libs``; ``devoured serve <service>`` does the same from the full CLI.
The service is found by its descriptor in the registry (``devoured.services`` entry points).
"""

import asyncio
import sys

from devoured_infra import registry


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(
            f"usage: python -m devoured_infra.serve {{{'|'.join(registry.names())}}}",
            file=sys.stderr,
        )
        return 2
    try:
        descriptor = registry.find(args[0])
    except LookupError as exc:
        print(f"{exc.args[0]}", file=sys.stderr)
        return 2
    from devoured_infra.kafka import service_app  # FastStream: only once a service runs
    from devoured_infra.runtime import configure_logging, serve
    from devoured_infra.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    asyncio.run(serve(service_app(settings, descriptor), settings, descriptor.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
