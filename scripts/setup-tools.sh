#!/usr/bin/env bash
# Installs what verops needs beyond the JDK, Maven and Node/npm, idempotently:
#  - the pinned codex CLI into .tools/codex (git-ignored), from the npm registry;
#  - the sqlite3 command-line tool, through apt-get when it is missing and we are root.
# Fast when everything is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODEX_VERSION="0.169.0"
codex_dir="$root/.tools/codex"
codex_bin="$codex_dir/node_modules/.bin/codex"

if [ ! -x "$codex_bin" ] || ! "$codex_bin" --version 2>/dev/null | grep -q "$CODEX_VERSION"; then
  command -v npm >/dev/null || { echo "verops setup: npm is required to install the codex CLI (install Node.js 20+)" >&2; exit 1; }
  echo "verops setup: installing @openai/codex@$CODEX_VERSION into .tools/codex" >&2
  mkdir -p "$codex_dir"
  [ -f "$codex_dir/package.json" ] || echo '{"name":"verops-tools","private":true}' > "$codex_dir/package.json"
  npm install --prefix "$codex_dir" --no-audit --no-fund --loglevel=error "@openai/codex@$CODEX_VERSION" >&2
fi

if ! command -v sqlite3 >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "verops setup: installing sqlite3" >&2
    (apt-get install -y -q sqlite3 >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q sqlite3 >/dev/null; }) >&2
  else
    echo "verops setup: the sqlite3 command-line tool is missing; install it (e.g. 'sudo apt-get install sqlite3')" >&2
    exit 1
  fi
fi
