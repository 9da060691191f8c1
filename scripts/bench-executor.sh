#!/usr/bin/env bash
# Executor benchmark: verops' whole one-JVM pipeline against a bare process pool and the seed's sequential loop,
# on the same items and the same codex-sim. Arguments: [items=96] [latency-ms=2000] [concurrency=16] [sequential-sample=4] [warmup=2×concurrency]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$home/scripts/setup-tools.sh"
[ -f "$home/verops-cli/target/verops-cli.jar" ] || (cd "$home" && mvn -q -B -DskipTests install -pl verops-cli -am >&2)
export VEROPS_HOME="$home"
# the JVM options of the verops launcher, so that the benchmark measures what `verops run` does
exec java -XX:TieredStopAtLevel=1 ${VEROPS_JAVA_OPTS:-} -cp "$home/verops-cli/target/verops-cli.jar" io.verops.cli.bench.PipelineBenchmark "$@"
