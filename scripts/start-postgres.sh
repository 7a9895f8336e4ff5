#!/usr/bin/env bash
# Starts Debian's PostgreSQL on loopback for the share-store tests and prints a DATABASE_URL.
# Installs the package when it is missing (as root). Idempotent.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "[postgres] installing Debian's postgresql" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 50); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 0.2
done
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='playground'\" | grep -q 1 || psql -q -c \"CREATE ROLE playground LOGIN PASSWORD 'playground'\"" >&2
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='playground_test'\" | grep -q 1 || createdb -O playground playground_test" >&2
echo "postgres://playground:playground@127.0.0.1:5432/playground_test"
