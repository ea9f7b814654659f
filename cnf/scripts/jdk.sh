# Sourced by ./nvdimm and ./run-tests: finds a JDK >= 25 without the user exporting anything.
# Order: $JAVA_HOME if it is one, then the usual JVM folders. Sets JAVA_HOME and JAVA.

nvdimm_jdk_major() { # prints the major version of the JDK at $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  printf '%s' "$v"
}

nvdimm_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(nvdimm_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME; return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$candidate" ] || continue
    major=$(nvdimm_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "nvdimm: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm, /usr/java, /opt)." >&2
    echo "nvdimm: install one (for example Temurin 25) or point JAVA_HOME at it." >&2
    return 1
  fi
  JAVA_HOME=$(cd "$best" && pwd -P); JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME
}
