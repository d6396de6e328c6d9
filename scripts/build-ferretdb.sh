#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (the MongoDB wire-protocol server the store contract tests run against).
# Usage: scripts/build-ferretdb.sh [destination]   (default: <repo>/.tools/bin/ferretdb)
# Idempotent: does nothing when the destination already reports the pinned version.
#
# Why not `go install ...@v1.24.2`: the Go proxy here refuses the module's version list
# ("loading deprecation ... 403"). And a plain `go build` of the module fails at start-up
# (panic: invalid build/version/version.txt) because the published module omits that generated
# file, so we build from a writable copy of the source with the file written in.
set -euo pipefail

readonly version="v1.24.2"
readonly module="github.com/FerretDB/FerretDB"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/.tools/bin/ferretdb}"

installed_version() { "$1" --version 2>/dev/null | sed -n 's/^version: //p'; }

if [[ -x "$dest" ]] && [[ "$(installed_version "$dest")" == "$version" ]]; then
  echo "ferretdb $version already at $dest"
  exit 0
fi

command -v go >/dev/null || { echo "build-ferretdb: Go is not installed (need Go >= 1.24)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

started=$SECONDS
echo "building ferretdb $version into $dest (about 1 min with Go modules cached, 3 min from nothing)"
(
  cd "$work"
  go mod init fbbuild >/dev/null 2>&1
  go get "$module@$version" >go-get.log 2>&1 || { cat go-get.log >&2; exit 1; }
  source_dir="$(go list -m -f '{{.Dir}}' "$module")"
  cp -R "$source_dir" src
  chmod -R u+w src
  echo "$version" > src/build/version/version.txt
  cd src
  GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb
)

mkdir -p "$(dirname "$dest")"
# Move into place atomically so a concurrent reader never sees a half-written binary.
mv "$work/ferretdb" "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"
built="$(installed_version "$dest")"
[[ "$built" == "$version" ]] || { echo "build-ferretdb: $dest reports version '$built', expected $version" >&2; exit 1; }
echo "ferretdb $built built in $((SECONDS - started)) s"
