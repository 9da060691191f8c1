#!/usr/bin/env bash
# The ingest benchmark: generates a batch (1,000,000 rows by default) and prints rows per second for
# parse + normalise alone and for parse + normalise + publish to an in-process Kafka broker.
# Builds verops-core and ingest-service first when needed, and runs from a private copy of their classes and
# dependencies (under ingest-service/target/bench) so that builds running meanwhile do not disturb it.
# Options: scripts/bench-ingest.sh --help. JVM options: BENCH_JAVA_OPTS (default -Xms4g -Xmx4g -XX:+UseParallelGC:
# one plan of a million rows keeps every row alive, and on two cores G1's concurrent cycles cost more than the work).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"

bench="ingest-service/target/bench"
stamp="$bench/.built"
if [ ! -f "$stamp" ] || [ -n "$(find verops-core/src ingest-service/src/main schemas pom.xml verops-core/pom.xml \
      ingest-service/pom.xml -newer "$stamp" -print -quit)" ]; then
  echo "bench-ingest: building verops-core and ingest-service..." >&2
  mvn -q -B -DskipTests install -pl verops-core,ingest-service >&2
  rm -rf "$bench"
  mkdir -p "$bench"
  # the broker's jars are test-scoped in ingest-service: include them
  mvn -q -B dependency:copy-dependencies -pl ingest-service -DincludeScope=test \
      -DoutputDirectory="$home/$bench/lib" >&2
  # plain slf4j-simple logging (warnings only) instead of the Quarkus log manager
  rm -f "$bench"/lib/slf4j-jboss-logmanager-*.jar
  slf4j="$(ls "$bench"/lib/slf4j-api-*.jar | sed 's/.*slf4j-api-\(.*\)\.jar/\1/')"
  mvn -q -B dependency:copy -Dartifact="org.slf4j:slf4j-simple:$slf4j" -DoutputDirectory="$home/$bench/lib" >&2
  cp -r ingest-service/target/classes "$bench/classes"
  touch "$stamp"
fi

export VEROPS_HOME="$home"
exec java ${BENCH_JAVA_OPTS:--Xms4g -Xmx4g -XX:+UseParallelGC} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -Dorg.slf4j.simpleLogger.log.kafka=error \
  -cp "$bench/classes:$bench/lib/*" io.verops.ingest.bench.IngestBenchmark "$@"
