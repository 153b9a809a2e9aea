#!/usr/bin/env bash
# Ensures Debian's Chromium and ChromeDriver are installed (for the browser tests); prints
# their paths. Installs them with apt-get when missing (as root, on Debian).
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "browser: installing chromium and chromium-driver from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium chromium-driver >&2
fi
echo "CHROMIUM=$(command -v chromium)"
echo "CHROMEDRIVER=$(command -v chromedriver)"
