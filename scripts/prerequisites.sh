#!/usr/bin/env bash
# Installs what running or testing Dev2Prod needs on Debian/Ubuntu, only what is missing, and says what it
# installs. Sourced by run.sh ("run") and test.sh ("test"). Without root or sudo it prints the command instead.
set -euo pipefail

purpose="${1:-run}"
missing=()

# Local servers for the AppHost's executables mode (used when no container engine answers).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)

if [ "$purpose" = "test" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)        # browser tests of the admin dashboard
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)  # promtool checks the alert rules
  command -v node >/dev/null 2>&1 || missing+=(nodejs)          # offline checks of the deployment files
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)  # the backup/restore test
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    echo "Missing: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start services: the AppHost and the tests start their own servers on free ports.
  policy_created=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
  [ -n "$policy_created" ] && $sudo rm -f /usr/sbin/policy-rc.d
  echo "Installed ${missing[*]}."
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet was not found on PATH)." >&2
  exit 1
fi

if [ "$purpose" = "test" ]; then
  # The deployment checks (Kubernetes schema validation, dclint, action-validator): exact versions from
  # tools/package-lock.json, reinstalled only when the lock file changed.
  if [ ! -f tools/node_modules/.package-lock.json ] || ! cmp -s tools/package-lock.json tools/node_modules/.installed-lock.json; then
    echo "Installing the deployment checkers (npm ci in tools/)..."
    npm ci --prefix tools --no-audit --no-fund --loglevel=error >/dev/null
    cp tools/package-lock.json tools/node_modules/.installed-lock.json
  fi
  if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl is required by the Kubernetes manifest tests (https://kubernetes.io/docs/tasks/tools/)." >&2
    exit 1
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
