#!/usr/bin/env bash
# Makes a machine ready for the test suite (run by `npm test` before jest):
# Debian's packages the suite uses, and the local services it talks to,
# started when they do not answer. Installing needs root, as on a fresh
# machine of the kind the project runs on; what is present is left alone.
set -euo pipefail

log() { printf '[test-services] %s\n' "$*" >&2; }

# Chromium for the GraphiQL browser test (playwright's own browser download
# needs the internet); xmllint (libxml2-utils) to parse and validate the
# feeds and sitemaps.
declare -A needs=([/usr/bin/chromium]=chromium [/usr/bin/xmllint]=libxml2-utils)
missing=()
for file in "${!needs[@]}"; do
  [ -x "$file" ] || missing+=("${needs[$file]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} from Debian's packages"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 \
    || { log "could not install ${missing[*]} (apt-get needs root)"; exit 1; }
fi

# MariaDB on 127.0.0.1:3306: the shared server of the MariaDB runs.
mariadb_up() { mariadb-admin --user=root --host=127.0.0.1 --connect-timeout=2 ping >/dev/null 2>&1; }
if ! mariadb_up; then
  log "MariaDB does not answer; starting it"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mariadb_up && break; sleep 1; done
  mariadb_up || { log "MariaDB did not come up"; exit 1; }
fi

# Redis on 127.0.0.1:6379 (response cache, persisted queries, rate limits), without persistence.
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
if ! redis_up; then
  log "Redis does not answer; starting it"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { log "Redis did not come up"; exit 1; }
fi
