#!/usr/bin/env bash
# Builds a sqlite3 program whose `.recover` works, for the tests of minsky's `.recover` path.
# Debian 12's sqlite3 (3.40.1) is built without the sqlite_dbpage table, so `.recover` fails there
# even on a healthy database and minsky falls back to its row-by-row salvage; users elsewhere
# (macOS, newer distributions) have a working one. The SQLite amalgamation (sqlite3.c + shell.c)
# comes from the npm registry, inside the `sqlite3` package's deps/, pinned by the package version
# and the tarball's sha256; gcc builds it.
#   .ci/build-sqlite3.sh            prints the program's path, building it when missing
# Output: $MINSKY_TEST_TOOLS (default ~/.cache/minsky-test-tools)/sqlite3-<version>/sqlite3
set -euo pipefail
npm_pkg="sqlite3@6.0.1"
version="3520000"
sha256="f6b50b0c103392af32a8be15b2b9d25959de9a00a70c3979128aafeaa5338b3f"
tools="${MINSKY_TEST_TOOLS:-${HOME:-/tmp}/.cache/minsky-test-tools}"
out="$tools/sqlite3-$version"
if [ -x "$out/sqlite3" ]; then
  echo "$out/sqlite3"
  exit 0
fi
command -v gcc >/dev/null || { echo "build-sqlite3: gcc is needed" >&2; exit 1; }
command -v npm >/dev/null || { echo "build-sqlite3: npm is needed (to fetch the SQLite amalgamation)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$npm_pkg" >/dev/null)
tar -xzf "$work"/sqlite3-*.tgz -C "$work" package/deps/sqlite-autoconf-$version.tar.gz
echo "$sha256  $work/package/deps/sqlite-autoconf-$version.tar.gz" | sha256sum -c --quiet - \
  || { echo "build-sqlite3: the SQLite tarball does not match its pinned sha256" >&2; exit 1; }
tar -xzf "$work/package/deps/sqlite-autoconf-$version.tar.gz" -C "$work"
src="$work/sqlite-autoconf-$version"
mkdir -p "$out"
echo "build-sqlite3: compiling SQLite $version with sqlite_dbpage (about 15 s)..." >&2
gcc -O1 -DSQLITE_ENABLE_DBPAGE_VTAB -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
    "$src/shell.c" "$src/sqlite3.c" -lm -o "$out/sqlite3.tmp"
mv "$out/sqlite3.tmp" "$out/sqlite3"
echo "$out/sqlite3"
