#!/bin/bash
# Initialises the cluster on first start (user, password and database from POSTGRES_USER, POSTGRES_PASSWORD,
# POSTGRES_DB), then runs the server in the foreground, so `docker stop` shuts it down cleanly (SIGTERM: smart stop).
set -euo pipefail
: "${POSTGRES_USER:=procura}" "${POSTGRES_PASSWORD:=procura}" "${POSTGRES_DB:=procura}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "procura-postgres: initialising $PGDATA for user $POSTGRES_USER, database $POSTGRES_DB"
  pwfile="$(mktemp)"; printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
         --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    postgres --single -D "$PGDATA" postgres >/dev/null <<<"CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\";"
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/run/postgresql "$@"
