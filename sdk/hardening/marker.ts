/**
 * How a node announces that its first-boot hardening finished. The renderers write both;
 * readiness checks (NodeReadiness, and member sync before it pushes) look for either.
 */
export const COMPLETION_MARKER_FILE = "/var/lib/lct/hardening-complete";
/** Printed to the console and the journal (tag `lct`) when hardening completes. */
export const COMPLETION_LOG_LINE = "LCT-HARDENING-COMPLETE";
