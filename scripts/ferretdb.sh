#!/usr/bin/env bash
# Builds FerretDB (a MongoDB-wire server; Apache-2.0) from the Go module proxy into .cache/ferretdb/ once and
# prints the binary's path. Tests use it, with its SQLite backend, when MONGODB_URI is not set.
# The module zip lacks build/version/version.txt, which the binary reads at start, so `go install` alone
# gives a binary that panics: the source is copied to a writable directory and the file written first.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${FERRETDB_VERSION:-v1.24.2}"
CACHE_DIR="$PWD/.cache/ferretdb"
BINARY="$CACHE_DIR/ferretdb-$VERSION"

if [ -x "$BINARY" ]; then
  echo "$BINARY"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "ferretdb.sh: the Go toolchain is needed to build FerretDB $VERSION (or set MONGODB_URI to a running MongoDB)" >&2
  exit 1
fi

echo "ferretdb.sh: building FerretDB $VERSION into $CACHE_DIR (once; about 15 s with a warm Go module cache, minutes cold)" >&2
MODULE="github.com/FerretDB/FerretDB@$VERSION"
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT
# Outside any Go module, so the download and lookup do not touch a go.mod.
SOURCE_DIR="$(cd "$WORK_DIR" && go mod download "$MODULE" && go list -m -f '{{.Dir}}' "$MODULE")"
cp -R "$SOURCE_DIR/." "$WORK_DIR/src"
chmod -R u+w "$WORK_DIR/src"
printf '%s' "$VERSION" > "$WORK_DIR/src/build/version/version.txt"
mkdir -p "$CACHE_DIR"
(cd "$WORK_DIR/src" && GOFLAGS=-buildvcs=false go build -o "$WORK_DIR/ferretdb" ./cmd/ferretdb) >&2
"$WORK_DIR/ferretdb" --version >/dev/null
mv "$WORK_DIR/ferretdb" "$BINARY"
echo "$BINARY"
