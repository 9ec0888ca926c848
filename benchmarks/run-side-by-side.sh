#!/usr/bin/env bash
# Runs the side-by-side benchmark (mosquitto vs Cairn) and writes the results into
# docs/benchmarks.md and docs/benchmarks/*.svg. All arguments go to SideBySide, e.g.
#   benchmarks/run-side-by-side.sh --rounds 3 --cases pairwise-qos1,fan-out-qos0 -- --duration-seconds 10
# Build first (reactor build, no install):
#   mvn -o -q -pl storage,broker,benchmarks -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [[ ! -f "$jar" ]]; then
  echo "missing $jar: build with mvn -o -q -pl storage,broker,benchmarks -am package -DskipTests" >&2
  exit 2
fi
exec java -Xms512m -Xmx2g -cp "$jar" dev.cairn.benchmarks.load.SideBySide --doc docs/benchmarks.md --charts docs/benchmarks "$@"
