#!/bin/sh
# Starts @project.artifactId@ @project.version@ from its distribution (bin/ and lib/ side by side).
#   JAVA_HOME  the Java 17+ to run it with (else `java` on PATH)
#   JAVA_OPTS  JVM options, e.g. JAVA_OPTS="-Xmx1g", in place of the distribution's own
#              ('@dist.jvm.options@'; none when blank)
# Arguments and environment variables go to the service unchanged: see its README.
set -e
MAIN_CLASS='@dist.main.class@'
DEFAULT_JVM_OPTS='@dist.jvm.options@'

# Resolve this script's own directory, through symlinks, so it runs from anywhere.
SCRIPT="$0"
while [ -L "$SCRIPT" ]; do
  LINK=$(readlink "$SCRIPT")
  case "$LINK" in
    /*) SCRIPT="$LINK" ;;
    *) SCRIPT="$(dirname "$SCRIPT")/$LINK" ;;
  esac
done
HOME_DIR=$(cd "$(dirname "$SCRIPT")/.." && pwd -P)

if [ -n "$JAVA_HOME" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi

# The options are split on spaces on purpose: they are several.
# shellcheck disable=SC2086
exec "$JAVA" ${JAVA_OPTS:-$DEFAULT_JVM_OPTS} -cp "$HOME_DIR/lib/*" "$MAIN_CLASS" "$@"
