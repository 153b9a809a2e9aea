"""``python -m devoured_infra.healthcheck``: the container's liveness check.

Asks ``/healthz`` of the image's service (``$SERVICE``) on its port: the one its descriptor
declares, or ``DEVOURED_HTTP_PORT``. The command-line image (``SERVICE=cli``) serves nothing,
so its check passes.
"""

import os
import sys
import urllib.request

from devoured_infra import registry


def main() -> int:
    service = os.environ.get("SERVICE", "cli")
    if service == "cli":
        return 0
    port = os.environ.get("DEVOURED_HTTP_PORT") or str(registry.find(service).port)
    url = f"http://127.0.0.1:{port}/healthz"
    with urllib.request.urlopen(url, timeout=4) as response:
        return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
