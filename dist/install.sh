#!/bin/sh
# Installs minsky for the current user from the tarball that `mvn package` makes:
#   ~/.local/opt/minsky-<v>/                      the install (runtime, jar, archive, man pages...)
#   ~/.local/bin/minsky                           -> ~/.local/opt/minsky-<v>/bin/minsky
#   ~/.local/share/man/man1/minsky*.1.gz          (man finds them through ~/.local/bin on PATH)
#   ~/.local/share/bash-completion/completions/minsky   (bash-completion loads it on demand)
#   ~/.local/share/zsh/site-functions/_minsky     (add that directory to fpath)
# Usage: dist/install.sh [TARBALL] (default: the one in target/). PREFIX=DIR instead of ~/.local.
set -eu
here="$(cd "$(dirname "$0")/.." && pwd -P)"
tarball="${1:-}"
if [ -z "$tarball" ]; then
  set -- "$here"/target/minsky-*-linux-x64.tar.gz
  [ -f "$1" ] || { echo "error: no target/minsky-*-linux-x64.tar.gz; hint: build it with 'mvn -B -DskipTests package'" >&2; exit 2; }
  tarball="$1"
fi
prefix="${PREFIX:-$HOME/.local}"
name="$(basename "$tarball" -linux-x64.tar.gz)"
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions"
# Unpack beside the old install and swap, so that a failed unpack leaves the old one working.
tmp="$(mktemp -d "$prefix/opt/.minsky-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp"
rm -rf "$prefix/opt/$name.old"
[ ! -e "$prefix/opt/$name" ] || mv "$prefix/opt/$name" "$prefix/opt/$name.old"
mv "$tmp/$name" "$prefix/opt/$name"
rm -rf "$prefix/opt/$name.old"
ln -sfn "../opt/$name/bin/minsky" "$prefix/bin/minsky"
for page in "$prefix/opt/$name"/share/man/man1/*.1.gz; do
  ln -sfn "../../../opt/$name/share/man/man1/$(basename "$page")" "$prefix/share/man/man1/$(basename "$page")"
done
ln -sfn "../../../opt/$name/share/bash-completion/completions/minsky" "$prefix/share/bash-completion/completions/minsky"
ln -sfn "../../../opt/$name/share/zsh/site-functions/_minsky" "$prefix/share/zsh/site-functions/_minsky"
echo "minsky installed: $prefix/bin/minsky -> $prefix/opt/$name ($("$prefix/bin/minsky" --version | head -1))"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "  note: $prefix/bin is not on your PATH; add it, e.g. in ~/.profile: PATH=\"$prefix/bin:\$PATH\"" ;; esac
