#!/usr/bin/env bash
# Starts the whole stack (Postgres, Redis, Api, Worker, Admin, Aspire dashboard) with the AppHost.
# Containers where a container engine answers, local postgres/redis-server executables elsewhere.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh run
exec dotnet run --project Dev2Prod.AppHost --launch-profile http -- "$@"
