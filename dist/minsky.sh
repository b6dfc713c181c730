#!/bin/sh
# minsky, as installed (the tarball's bin/minsky, the .deb's /usr/lib/minsky/bin/minsky): runs
# lib/minsky.jar on the bundled runtime (runtime/, made by jlink: no JDK, no Maven needed) with the
# same JVM flags as the checkout's ./minsky launcher and the class-data archives made when minsky
# was built (lib/minsky.jsa, lib/minsky-cli.jsa). POSIX sh; needs only dirname and readlink besides the shell.
set -eu
# Too few open files and not even this script can run: say so before anything else. The JVM
# raises its soft limit to the hard one at start anyway, so do the same here; only a hard limit
# below what minsky needs is an error (exit 3, a state to fix). Same check as ./minsky.
if ! ( exec 2>&-; ulimit -S -n 16 ); then
  exec 1>&2
  echo "error: the open-file limit of this shell is too low to run minsky (hard limit below 16)"
  echo "  hint: raise it, e.g. 'ulimit -n 4096' (or nofile in /etc/security/limits.conf), and run the command again; nothing was changed"
  exit 3
fi
hard="$( (exec 2>&-; ulimit -H -n) || true)"
[ -n "$hard" ] && { ( exec 2>&-; ulimit -S -n "$hard" ) && ulimit -S -n "$hard"; } || true

# Follow symlinks (~/bin/minsky -> .../bin/minsky, /usr/bin/minsky -> /usr/lib/minsky/bin/minsky)
# back to the install, one link at a time (readlink -f is not in every readlink).
self="$0"
case "$self" in */*) ;; *) self="$(command -v -- "$self")" ;; esac
while [ -L "$self" ]; do
  link="$(readlink -- "$self")"
  case "$link" in
    /*) self="$link" ;;
    *) self="$(dirname -- "$self")/$link" ;;
  esac
done
home="$(cd -P -- "$(dirname -- "$self")/.." && pwd -P)"
java_bin="$home/runtime/bin/java"
jar="$home/lib/minsky.jar"
jsa="$home/lib/minsky.jsa"          # doctor and kb: trained with Drools and the playbook parser
jsa_cli="$home/lib/minsky-cli.jsa"  # every other command: a third of the size, so it maps faster
if [ ! -x "$java_bin" ] || [ ! -f "$jar" ]; then
  echo "error: this minsky install is incomplete: $java_bin or $jar is missing" >&2
  echo "  hint: unpack the tarball (or reinstall the package) again; nothing was changed" >&2
  exit 4
fi

# JVM warnings go to stderr, never into the JSON a script reads from stdout (flags: see
# docs/performance.md). The archive was made at build time from this very jar and runtime; the
# JVM checks that and ignores a mismatched one (-Xshare:auto).
# The archive records the jar's path, and the JVM of Java 17 refuses it for the same jar under any
# other path: so the jar is named through a path that is the same wherever the install was
# unpacked or moved, its directory opened as descriptor 9 (the JVM's child processes do not
# inherit it: Java closes every descriptor above 2 in a child). The build's training run used it.
if [ -d /proc/self/fd ] && [ -r "$home" ] && [ -x "$home" ]; then
  exec 9<"$home"
  jar="/proc/self/fd/9/lib/minsky.jar"
fi
# Two archives, as ./minsky makes them: the one trained for the command named (the first word after
# the root options and their values), else the doctor's, which holds every command's classes.
archive="$jsa_cli"
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    --backend|--base-dir|--db-path|--log-level) skip=1 ;;
    --) break ;;
    -*) ;;
    doctor|kb) archive="$jsa"; break ;;
    *) break ;;
  esac
done
[ -f "$archive" ] || archive="$jsa"
cds=""
if [ "${MINSKY_NO_CDS:-}" != "1" ] && [ -f "$archive" ]; then
  cds="-XX:SharedArchiveFile=$archive"
fi
# MINSKY_JAVA_OPTS adds JVM options (e.g. -Xmx2g for a very large import, -Xshare:on to insist on
# the archive); word-split on purpose, and after the flags above so that they win.
# shellcheck disable=SC2086
exec "$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss2m -XX:-UsePerfData -Xlog:disable -Xlog:all=error:stderr \
  ${cds:+"$cds"} -Xshare:auto ${MINSKY_JAVA_OPTS:-} -jar "$jar" "$@"
