#!/usr/bin/env bash
# Makes the self-contained install from the built jar (run by Maven in the package phase, after
# shade and the man pages; see pom.xml):
#   target/minsky-<v>-linux-x64.tar.gz   minsky-<v>/{bin,lib,runtime,share}   (docs/install.md)
#   target/minsky_<v>_amd64.deb          /usr/lib/minsky, /usr/bin/minsky, man pages, completions
# Usage: dist/build-dist.sh VERSION TARGET_DIR. Needs a JDK 17 with jmods (jdeps, jlink), gzip,
# tar and dpkg-deb.
set -euo pipefail
version="$1"
target="$(cd "$2" && pwd -P)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
jar="$target/minsky.jar"
[ -f "$jar" ] || { echo "dist: $jar is missing (the shade step makes it)" >&2; exit 1; }
ls "$target"/man/*.1 >/dev/null 2>&1 || { echo "dist: no roff man pages in $target/man" >&2; exit 1; }

# The JDK that builds: the one Maven runs on (JAVA_HOME), else the one on PATH.
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -x "$jdk/bin/jlink" ] && [ -d "$jdk/jmods" ] || { echo "dist: $jdk has no jlink or no jmods/" >&2; exit 1; }

name="minsky-$version"
work="$target/dist"
stage="$work/$name"
rm -rf "$work"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/man/man1" "$stage/share/bash-completion/completions" \
  "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"

# --- the runtime: only the JDK modules minsky uses ------------------------------------------
# jdeps finds what the jar's classes refer to. What it cannot see, because it is only reached
# through a service provider or by name at run time, is added by hand:
#   jdk.crypto.ec   the SunEC provider: TLS to PostgreSQL (ECDHE key exchange; EC certificates,
#                   as the tests' PostgresTlsServer makes) fails with "no cipher suites" without it
#   jdk.zipfs       the "jar:" file system provider, for code that opens a jar as a FileSystem
#                   (class-path scanning in the libraries; cheap)
#   jdk.charsets    the charsets beyond the standard six, for a terminal or file in a legacy
#                   encoding (Charset.forName by name)
#   jdk.unsupported sun.misc.Unsafe, which libraries look up reflectively (invisible to jdeps)
#   jdk.localedata  not added: minsky's output is English and its formats are fixed (ISO dates)
jdeps_modules="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$jar" | tail -1)"
case "$jdeps_modules" in java.base*) ;; *) echo "dist: jdeps printed no module list: $jdeps_modules" >&2; exit 1 ;; esac
modules="$jdeps_modules,jdk.crypto.ec,jdk.zipfs,jdk.charsets,jdk.unsupported"
echo "dist: runtime modules: $modules"
# --generate-cds-archive: the runtime's own default class-data archive (lib/server/classes.jsa),
# which the app archive below is layered on (a dynamic archive needs a base archive).
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive \
  --output "$stage/runtime"

cp -p "$jar" "$stage/lib/minsky.jar"
cp "$here/minsky.sh" "$stage/bin/minsky"
chmod 0755 "$stage/bin/minsky"

# --- the class-data archive, made now for this runtime and this jar --------------------------
# The same training as ./minsky's train_cds: a doctor run on a throwaway SQLite store, through
# bin/minsky itself so that the flags are the ones every run uses (the archive records them).
# The JVM accepts the archive after the install is moved: the jar's path is recorded relative to
# the runtime's, and both move together. It also checks the jar's size and time (kept by tar and dpkg).
train_home="$(mktemp -d)"
trap 'rm -rf "$train_home"' EXIT
run_staged() {
  env -i PATH="/usr/bin:/bin" HOME="$train_home" LANG=C.UTF-8 MINSKY_NO_CDS=1 "$@"
}
run_staged "$stage/bin/minsky" sessiondb init --backend sqlite >/dev/null
run_staged MINSKY_CDS_TRAINING=1 MINSKY_JAVA_OPTS="-XX:ArchiveClassesAtExit=$stage/lib/minsky.jsa" \
  "$stage/bin/minsky" doctor --json >/dev/null || [ "$?" -eq 1 ]
[ -s "$stage/lib/minsky.jsa" ] || { echo "dist: the training run wrote no class-data archive" >&2; exit 1; }
# The archive of every other command (see ./minsky's train_cds): without Drools, a third of the size.
run_staged MINSKY_CDS_TRAINING=cli MINSKY_JAVA_OPTS="-XX:ArchiveClassesAtExit=$stage/lib/minsky-cli.jsa" \
  "$stage/bin/minsky" session list --limit 50 --json >/dev/null
[ -s "$stage/lib/minsky-cli.jsa" ] || { echo "dist: the training run wrote no class-data archive for the commands" >&2; exit 1; }
# The archives must be accepted: -Xshare:on refuses to start with a mismatched one (MINSKY_NO_CDS=0:
# the training runs above go without one, these with the archive of their command).
run_staged MINSKY_NO_CDS=0 MINSKY_JAVA_OPTS="-Xshare:on" "$stage/bin/minsky" --version >/dev/null
run_staged MINSKY_NO_CDS=0 MINSKY_JAVA_OPTS="-Xshare:on" "$stage/bin/minsky" doctor --help >/dev/null

# --- completions, from the built CLI itself -------------------------------------------------
run_staged "$stage/bin/minsky" completion bash >"$stage/share/bash-completion/completions/minsky"
run_staged "$stage/bin/minsky" completion fish >"$stage/share/fish/vendor_completions.d/minsky.fish"
# zsh: a file in $fpath named _minsky is autoloaded as the function _minsky on the first <Tab>.
# picocli's script works in zsh through bashcompinit; its `complete` line replaces this function
# with bashcompinit's wrapper for later <Tab>s, and the last line completes this first one.
{
  echo '#compdef minsky'
  echo "# zsh completion for minsky $version, made at build time from \`minsky completion zsh\`."
  run_staged "$stage/bin/minsky" completion zsh | sed '1{/^#!/d}'
  echo '_bash_complete -F _complete_minsky -o default "$@"'
} >"$stage/share/zsh/site-functions/_minsky"

# --- man pages: roff from asciidoctor, gzipped (-n: no name or time, reproducible) ----------
for page in "$target"/man/*.1; do
  gzip -9n <"$page" >"$stage/share/man/man1/$(basename "$page").gz"
done
# A bare `man minsky` finds the root page (picocli names it after the command: minsky.1).
[ -f "$stage/share/man/man1/minsky.1.gz" ] || { echo "dist: no minsky.1 man page" >&2; exit 1; }

find "$stage" -type d -exec chmod 0755 {} +
find "$stage/share" "$stage/lib" -type f -exec chmod 0644 {} +

tarball="$target/$name-linux-x64.tar.gz"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$tarball.tmp" "$name"
mv -f "$tarball.tmp" "$tarball"
echo "dist: $tarball ($(du -h "$tarball" | cut -f1))"

# --- the .deb ---------------------------------------------------------------------------------
root="$work/deb"
lib="$root/usr/lib/minsky"
mkdir -p "$lib" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
  "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d" \
  "$root/usr/share/doc/minsky" "$root/DEBIAN"
# Same relative layout as the tarball, so that the archive made above is valid here too.
cp -a "$stage/bin" "$stage/lib" "$stage/runtime" "$lib/"
ln -s ../lib/minsky/bin/minsky "$root/usr/bin/minsky"
cp -p "$stage"/share/man/man1/*.1.gz "$root/usr/share/man/man1/"
cp -p "$stage/share/bash-completion/completions/minsky" "$root/usr/share/bash-completion/completions/minsky"
cp -p "$stage/share/zsh/site-functions/_minsky" "$root/usr/share/zsh/vendor-completions/_minsky"
cp -p "$stage/share/fish/vendor_completions.d/minsky.fish" "$root/usr/share/fish/vendor_completions.d/minsky.fish"
cat >"$root/usr/share/doc/minsky/copyright" <<'EOF'
minsky: session store and doctor for Minsky. The runtime under /usr/lib/minsky/runtime is a
jlink image of OpenJDK 17 (GPL-2.0 with the Classpath Exception); see
/usr/lib/minsky/runtime/legal/ for the licences of the JDK and its components.
EOF
find "$root" -type d -exec chmod 0755 {} +
# The bundled runtime's native code links only against the C and C++ runtimes and zlib.
cat >"$root/DEBIAN/control" <<EOF
Package: minsky
Version: $version
Architecture: amd64
Maintainer: minsky developers <minsky@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6, libgcc-s1, libstdc++6, zlib1g
Section: utils
Priority: optional
Homepage: https://github.com/edobry/minsky
Description: session store for Minsky, with a rule-based doctor
 minsky keeps the session records of Minsky (one record per task session) in a
 JSON file, SQLite or PostgreSQL, and ships a doctor that finds out why the
 store broke and fixes it without losing a record. Self-contained: it brings
 its own Java runtime (a jlink image) and needs no JDK.
EOF
deb="$target/minsky_${version}_amd64.deb"
dpkg-deb --build --root-owner-group -Zxz "$root" "$deb.tmp" >/dev/null
mv -f "$deb.tmp" "$deb"
echo "dist: $deb ($(du -h "$deb" | cut -f1))"
