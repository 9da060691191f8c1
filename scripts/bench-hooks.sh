#!/usr/bin/env bash
# Measures what the verops hooks cost per tool call, the way codex calls them: a new `bash -c '<hook> pre|post'`
# process per call, the hook payload (JSON) on stdin. Prints, per kind of payload, the wall-clock mean, p50 and p99
# per call, and the hook's own cost: each call is paired with a do-nothing `bash -c 'cat >/dev/null'` run just before
# it, and the difference (wall p50 and mean, CPU mean) is what the hook adds to starting a process.
#
# Usage: scripts/bench-hooks.sh [CALLS]   (default 300 calls per case; fewer for the 100 KB and 300 KB outputs)
# Needs: the built executor-service (mvn -q install -DskipTests -pl verops-core,executor-service -am) and Java 17.
# Other load on the machine shows in the wall-clock figures (the load average is printed); the paired difference
# is much less sensitive to it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
calls="${1:-300}"
[[ $calls =~ ^[0-9]+$ && $calls -ge 10 ]] || { echo "usage: $0 [CALLS >= 10]" >&2; exit 64; }
work="$root/executor-service/target/bench-hooks"
rm -rf "$work"
mkdir -p "$work"

classes="$root/executor-service/target/classes"
[[ -f $classes/io/verops/executor/hooks/Hooks.class ]] || {
  echo "bench-hooks: build first: mvn -q install -DskipTests -pl verops-core,executor-service -am" >&2; exit 1; }
echo "bench-hooks: resolving the classpath..." >&2
(cd "$root" && mvn -B -q -o dependency:build-classpath -pl executor-service -Dmdep.outputFile="$work/cp.txt" >/dev/null 2>&1) \
  || (cd "$root" && mvn -B -q dependency:build-classpath -pl executor-service -Dmdep.outputFile="$work/cp.txt" >/dev/null)

# Installs the user-provisioning hooks for both phases, and writes the payloads.
cat > "$work/Prepare.java" <<'EOF'
import io.verops.core.Phase;
import io.verops.core.operation.OperationCatalog;
import io.verops.executor.hooks.Hooks;
import java.nio.file.Files;
import java.nio.file.Path;

public class Prepare {
    public static void main(String[] a) throws Exception {
        Path root = Path.of(a[0]), work = Path.of(a[1]);
        var op = OperationCatalog.load(root.resolve("operations")).require("user-provisioning");
        for (Phase phase : Phase.values()) {
            Path dir = work.resolve(phase.wire());
            Hooks.install(dir.resolve("codex-home"), op, phase, dir.resolve("decisions.jsonl"));
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String db = "/srv/verops/var/targets/user-provisioning.db";
        String insert = "sqlite3 -cmd '.timeout 5000' '" + db + "' 'INSERT INTO users(email, role, team, created_at) VALUES("
                + "'\\''alice@example.com'\\'', '\\''admin'\\'', '\\''ops'\\'', strftime('\\''%Y-%m-%dT%H:%M:%SZ'\\'','\\''now'\\''));'";
        String check = "sqlite3 -readonly -cmd '.timeout 5000' '" + db + "' 'SELECT count(*) FROM users WHERE email = '\\''alice@example.com'\\'';'";
        StringBuilder flood = new StringBuilder();
        for (int i = 1; i <= 20; i++) flood.append("error: simulated error line ").append(i).append(" of 20\n");
        String big = ("alice@example.com|admin|ops|2024-01-01T00:00:00Z\n").repeat(2000);
        String huge = ("alice@example.com|admin|ops|2024-01-01T00:00:00Z\n").repeat(6500);
        write(json, work.resolve("pre-insert.json"), "PreToolUse", insert, null);
        write(json, work.resolve("pre-check.json"), "PreToolUse", check, null);
        write(json, work.resolve("pre-drop.json"), "PreToolUse", "sqlite3 '" + db + "' 'DROP TABLE users'", null);
        write(json, work.resolve("post-small.json"), "PostToolUse", insert, "");
        write(json, work.resolve("post-flood.json"), "PostToolUse", insert, flood.toString());
        write(json, work.resolve("post-100k.json"), "PostToolUse", "sqlite3 db 'SELECT * FROM users'", big);
        write(json, work.resolve("post-300k.json"), "PostToolUse", "sqlite3 db 'SELECT * FROM users'", huge);
    }

    static void write(com.fasterxml.jackson.databind.ObjectMapper json, Path file, String event, String command,
                      String output) throws Exception {
        var p = json.createObjectNode();
        p.put("session_id", "01a20faf-8a79-70d0-8119-102991949060");
        p.put("turn_id", "01a20faf-8ae3-74d0-9269-69b1236afa64");
        p.putNull("transcript_path");
        p.put("cwd", "/srv/verops/work");
        p.put("hook_event_name", event);
        p.put("model", "gpt-5.5");
        p.put("permission_mode", "bypassPermissions");
        p.put("tool_name", "Bash");
        p.putObject("tool_input").put("command", command);
        if (output != null) p.put("tool_response", output);
        p.put("tool_use_id", "call_vp_insert_1");
        Files.writeString(file, p.toString());
    }
}
EOF
java -cp "$classes:$(cat "$work/cp.txt")" "$work/Prepare.java" "$root" "$work"

# children_cpu_us: sets CPU_US to the user+system CPU time of this shell's finished children, in microseconds
# (`times` must run in this shell, not in a command substitution).
children_cpu_us() {
  local line u s
  times > "$work/times.txt"
  { read -r line; read -r line; } < "$work/times.txt"
  u=${line%% *} s=${line##* }
  to_us "$u"; local a=$REPLY
  to_us "$s"
  CPU_US=$(( a + REPLY ))
}
to_us() { # 0m0.123s -> 123000
  local v=$1 m sec int frac
  m=${v%%m*} sec=${v#*m}; sec=${sec%s}
  int=${sec%%.*} frac=${sec#*.}000000
  REPLY=$(( (10#$m * 60 + 10#$int) * 1000000 + 10#${frac:0:6} ))
}

# bench LABEL N COMMAND PAYLOAD: runs COMMAND (through bash -c, as codex does) N times with PAYLOAD on stdin, each
# call paired with a do-nothing call right before it, so that the hook's own cost (the difference) is measured
# under the same load as the call.
bench() {
  local label=$1 n=$2 cmd=$3 payload=$4 i t0 t1 t2 rc c0 c1 c2
  local -a us=() diff=()
  local base_cpu=0 hook_cpu=0
  for (( i = 0; i < n; i++ )); do
    children_cpu_us; c0=$CPU_US
    t0=$EPOCHREALTIME
    bash -c 'cat >/dev/null' < "$payload" > /dev/null 2>&1
    t1=$EPOCHREALTIME
    children_cpu_us; c1=$CPU_US
    rc=0
    bash -c "$cmd" < "$payload" > /dev/null 2>&1 || rc=$?
    t2=$EPOCHREALTIME
    children_cpu_us; c2=$CPU_US
    us+=( $(( ${t2/./} - ${t1/./} )) )
    diff+=( $(( (${t2/./} - ${t1/./}) - (${t1/./} - ${t0/./}) )) )
    (( base_cpu += c1 - c0, hook_cpu += c2 - c1 ))
  done
  local -a s d
  mapfile -t s < <(printf '%s\n' "${us[@]}" | sort -n)
  mapfile -t d < <(printf '%s\n' "${diff[@]}" | sort -n)
  local sum=0 dsum=0 v
  for v in "${us[@]}"; do (( sum += v )); done
  for v in "${diff[@]}"; do (( dsum += v )); done
  local p50=$(( n * 50 / 100 )) p99=$(( (n * 99 + 99) / 100 - 1 ))
  printf '%-44s %4d calls | wall mean %7.2f p50 %7.2f p99 %7.2f | own: wall p50 %6.2f mean %6.2f, CPU %6.2f | exit %s\n' \
    "$label" "$n" "$(( sum / n ))e-3" "${s[p50]}e-3" "${s[p99]}e-3" "${d[p50]}e-3" "$(( dsum / n ))e-3" \
    "$(( (hook_cpu - base_cpu) / n ))e-3" "$rc"
}

apply="'$work/apply/codex-home/verops-hook.sh'"
dry="'$work/dry_run/codex-home/verops-hook.sh'"
echo "bench-hooks: $calls calls per case on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  milliseconds per call; 'own' = the call minus a do-nothing bash -c 'cat >/dev/null' run just before it"
bench "baseline: a second do-nothing call" "$calls" "cat >/dev/null" "$work/pre-insert.json"
bench "PreToolUse, apply, allowed INSERT" "$calls" "$apply pre" "$work/pre-insert.json"
bench "PreToolUse, dry run, allowed SELECT" "$calls" "$dry pre" "$work/pre-check.json"
bench "PreToolUse, apply, blocked DROP (logged)" "$calls" "$apply pre" "$work/pre-drop.json"
bench "PostToolUse, empty output" "$calls" "$apply post" "$work/post-small.json"
bench "PostToolUse, 20-line error flood (logged)" "$calls" "$apply post" "$work/post-flood.json"
bench "PostToolUse, 100 KB output" "$(( calls / 3 ))" "$apply post" "$work/post-100k.json"
bench "PostToolUse, 300 KB output" "$(( calls / 10 ))" "$apply post" "$work/post-300k.json"
