#!/usr/bin/env bash
# End-to-end check of the templates' per-role bootstrap (zookeeper, etcd, memcached): in a real
# Debian 12 root (reusing the cached debootstrap base), each script installs from the mirror, a
# second run changes nothing, and three ZooKeeper servers / etcd members form a quorum.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
export LCT_E2E=1
export LCT_REQUIRE_TOOLS=1
npx vitest run test/templates/bootstrap-e2e.test.ts
echo "== template bootstrap e2e: $(( $(date +%s) - start )) s"
