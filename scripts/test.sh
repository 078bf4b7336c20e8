#!/usr/bin/env bash
# The one test command (npm test): every test, real-browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing: installing Debian's chromium package for the browser tests …"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium. Install it with:  sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

if [ "$#" -gt 0 ]; then
  exec npx vitest run "$@"
fi
# Formatting, lint rules (import circles among them) and unused files or exports are checked first:
# the house stays as the README draws it, and a red check stops the run before the slow tests.
npm run --silent lint
# The soak measures latency under load, so it runs alone after the rest: other test files on the
# same two cores would make its p99 windows measure them instead of the server.
npx vitest run --exclude '**/node_modules/**' --exclude 'test/hardening/soak.test.ts'
npx vitest run test/hardening/soak.test.ts
