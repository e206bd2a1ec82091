#!/usr/bin/env bash
# End-to-end hardening check: debootstraps a Debian 12 root (cached under .lct-tmp/debootstrap),
# runs a rendered StackScript and a real cloud-init run of rendered user data inside it (chroot,
# private mount/UTS/PID namespaces, network only for the package mirror), checks the hardened
# state and that a second run changes nothing. Needs root, loop devices and the Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
export LCT_E2E=1
export LCT_REQUIRE_TOOLS=1
npx vitest run test/hardening/e2e-debootstrap.test.ts
echo "== debootstrap hardening e2e: $(( $(date +%s) - start )) s"
