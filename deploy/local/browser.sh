#!/usr/bin/env bash
# Ensures Debian's Chromium and ChromeDriver are installed (for the browser tests); prints
# their paths. Installs them with apt-get when missing (as root, on Debian).
set -euo pipefail

NAME=browser
# shellcheck source=deploy/local/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
fi
echo "CHROMIUM=$(command -v chromium)"
echo "CHROMEDRIVER=$(command -v chromedriver)"
