#!/usr/bin/env bash
# Logical backups of the bot's database with pg_dump / pg_restore (custom format).
#
#   dbdump.sh dump <file>          dump the database to <file>
#   dbdump.sh backup <directory>   dump to <directory>/botdb-<UTC time>.dump, then delete dumps older than
#                                  BACKUP_RETENTION_DAYS (default 14): what the nightly CronJob runs
#   dbdump.sh restore <file>       restore <file> into the database, replacing the objects it contains
#
# The database is the services' own Npgsql connection string, taken from DATABASE_CONNECTION_STRING or else
# ConnectionStrings__botdb ("Host=...;Port=...;Username=...;Password=...;Database=..."), so backups need no
# second copy of the password. Values must not contain ';'.
set -euo pipefail

connection="${DATABASE_CONNECTION_STRING:-${ConnectionStrings__botdb:-}}"
if [ -z "$connection" ]; then
  echo "Set DATABASE_CONNECTION_STRING (or ConnectionStrings__botdb) to the database's Npgsql connection string." >&2
  exit 2
fi

# Npgsql keywords -> libpq environment variables (keywords are case-insensitive; aliases as Npgsql accepts them).
IFS=';' read -ra parts <<<"$connection"
for part in "${parts[@]}"; do
  [ -z "${part// /}" ] && continue
  key="$(echo "${part%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
  value="${part#*=}"
  case "$key" in
    host|server) export PGHOST="$value" ;;
    port) export PGPORT="$value" ;;
    username|userid|user) export PGUSER="$value" ;;
    password|pwd) export PGPASSWORD="$value" ;;
    database|db) export PGDATABASE="$value" ;;
    sslmode) export PGSSLMODE="$(echo "$value" | tr '[:upper:]' '[:lower:]')" ;;
  esac
done
: "${PGDATABASE:?the connection string names no Database}"

command="${1:-}"
target="${2:-}"
case "$command" in
  dump)
    [ -n "$target" ] || { echo "usage: dbdump.sh dump <file>" >&2; exit 2; }
    pg_dump --format=custom --no-owner --no-privileges --file="$target.partial"
    mv "$target.partial" "$target"
    echo "Dumped database '$PGDATABASE' to $target ($(wc -c <"$target") bytes)."
    ;;
  backup)
    [ -n "$target" ] || { echo "usage: dbdump.sh backup <directory>" >&2; exit 2; }
    mkdir -p "$target"
    bash "$0" dump "$target/$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
    retention="${BACKUP_RETENTION_DAYS:-14}"
    find "$target" -maxdepth 1 -name "$PGDATABASE-*.dump" -mtime +"$retention" -print -delete
    ;;
  restore)
    [ -n "$target" ] && [ -f "$target" ] || { echo "usage: dbdump.sh restore <existing dump file>" >&2; exit 2; }
    # One transaction: a failed restore leaves the database as it was.
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
      --dbname="$PGDATABASE" "$target"
    echo "Restored $target into database '$PGDATABASE'."
    ;;
  *)
    echo "usage: dbdump.sh dump <file> | backup <directory> | restore <file>" >&2
    exit 2
    ;;
esac
