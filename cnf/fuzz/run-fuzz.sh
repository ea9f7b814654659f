#!/bin/sh
# Fuzzes one Jazzer @FuzzTest method (Jazzer fuzzes one per JVM) with coverage feedback:
#   cnf/fuzz/run-fuzz.sh MODULE CLASS#METHOD
# Builds cnf/fuzz/ClassVersionAgent into target/fuzz-agent.jar and loads it before Jazzer's agent (see its
# comment: Jazzer 0.24.0 cannot instrument Java 25 class files). The libFuzzer statistics go to
# MODULE/target/surefire-reports/*-output.txt and stderr; findings to MODULE/.cifuzz-findings or the test's
# Inputs directory, as Jazzer reports.
set -eu
cd "$(dirname "$0")/../.."
. cnf/scripts/jdk.sh
nvdimm_find_jdk
module=$1
test=$2
out=target/fuzz-agent
mkdir -p "$out"
"$JAVA_HOME/bin/javac" -d "$out" cnf/fuzz/ClassVersionAgent.java
printf 'Premain-Class: ClassVersionAgent\nCan-Retransform-Classes: true\n' > "$out/MANIFEST.MF"
"$JAVA_HOME/bin/jar" cfm target/fuzz-agent.jar "$out/MANIFEST.MF" -C "$out" ClassVersionAgent.class -C "$out" 'ClassVersionAgent$1.class'
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
JAZZER_FUZZ=1 JAVA_TOOL_OPTIONS="-javaagent:$PWD/target/fuzz-agent.jar" \
    mvn -B -o -pl "$module" -am verify -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.redirectTestOutputToFile=false
