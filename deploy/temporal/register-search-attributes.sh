#!/bin/sh
# One-shot run by the `temporal-setup` service (image temporalio/admin-tools): waits until the Temporal
# frontend answers and the namespace exists, then registers the custom search attributes the product
# uses. Idempotent: attributes that already exist are left alone, so it is safe on every `up`.
#
# Environment:
#   TEMPORAL_ADDRESS      host:port of the frontend (read by the `temporal` CLI itself)
#   TEMPORAL_NAMESPACE    namespace to register on (default: default)
#   SEARCH_ATTRIBUTES     space-separated Name=Type pairs
#   WAIT_TIMEOUT_SECONDS  how long to wait for the server and namespace (default: 300)
#   SETTLE_SECONDS        pause after creating attributes so every Temporal service's namespace cache
#                         has picked them up before the app starts using them (default: 15)
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ATTRIBUTES="${SEARCH_ATTRIBUTES:-TenantId=Keyword CustomerId=Keyword CustomerType=Keyword OnboardingStatus=Keyword}"
WAIT_TIMEOUT_SECONDS="${WAIT_TIMEOUT_SECONDS:-300}"
SETTLE_SECONDS="${SETTLE_SECONDS:-15}"

log() { echo "[temporal-setup] $*"; }
fail() { echo "[temporal-setup] ERROR: $*" >&2; exit 1; }

deadline=$(( $(date +%s) + WAIT_TIMEOUT_SECONDS ))
past_deadline() { [ "$(date +%s)" -ge "$deadline" ]; }

server_serving() { temporal operator cluster health 2>/dev/null | grep -q SERVING; }
namespace_exists() { temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; }
list_attributes() { temporal operator search-attribute list --namespace "$NAMESPACE" 2>/dev/null; }
# The CLI prints one attribute per row ("Name  Type"); match the name as a whole word.
attribute_listed() { list_attributes | grep -Eq "(^|[[:space:]\"])$1([[:space:]\"]|$)"; }

until server_serving; do
  past_deadline && fail "Temporal at ${TEMPORAL_ADDRESS:-?} did not become healthy in ${WAIT_TIMEOUT_SECONDS}s"
  log "waiting for Temporal at ${TEMPORAL_ADDRESS:-?} ..."
  sleep 2
done
log "Temporal is serving"

until namespace_exists; do
  past_deadline && fail "namespace '${NAMESPACE}' did not appear in ${WAIT_TIMEOUT_SECONDS}s"
  log "waiting for namespace '${NAMESPACE}' ..."
  sleep 2
done
log "namespace '${NAMESPACE}' exists"

created=0
for pair in $ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if attribute_listed "$name"; then
    log "search attribute ${name} already registered"
    continue
  fi
  attempt=1
  while :; do
    if output=$(temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type" 2>&1); then
      log "created search attribute ${name} (${type})"
      created=1
      break
    fi
    case "$output" in
      *"already exists"* | *"AlreadyExists"* | *"already registered"*)
        log "search attribute ${name} already exists"
        break
        ;;
    esac
    if [ "$attempt" -ge 10 ]; then
      fail "could not create search attribute ${name} (${type}): ${output}"
    fi
    log "create ${name} failed (attempt ${attempt}), retrying: ${output}"
    attempt=$((attempt + 1))
    sleep 3
  done
done

# Confirm the frontend now reports every attribute before declaring success.
for pair in $ATTRIBUTES; do
  name="${pair%%=*}"
  until attribute_listed "$name"; do
    past_deadline && fail "search attribute ${name} is not listed on namespace '${NAMESPACE}'"
    log "waiting for search attribute ${name} to be listed ..."
    sleep 2
  done
done

if [ "$created" -eq 1 ] && [ "$SETTLE_SECONDS" -gt 0 ]; then
  log "letting Temporal's namespace caches refresh (${SETTLE_SECONDS}s)"
  sleep "$SETTLE_SECONDS"
fi

log "search attributes on '${NAMESPACE}':"
list_attributes || true
log "done"
