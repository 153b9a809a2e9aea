# Shared by the deploy/local scripts: source it after setting NAME (the prefix of log lines).
# shellcheck shell=bash

log() { echo "$NAME: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Debian packages, with sudo when not root.
apt_install() {
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    log "installing $* with apt-get ..."
    "${sudo[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >&2
}
