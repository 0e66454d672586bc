#!/usr/bin/env bash
# Builds the solution and runs every test project (unit, integration with real Postgres/Redis, browser).
# Test results (TRX) go to artifacts/test-results, browser screenshots to artifacts/screenshots.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh test

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Dev2Prod.sln -warnaserror -nologo -clp:ErrorsOnly
dotnet test --solution Dev2Prod.sln --no-build --report-trx --results-directory "$results" "$@"
