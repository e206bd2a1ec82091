/**
 * How big a plan LCT accepts. Validation and normalization are linear in nodes but the
 * firewall computation is groups × members, so both are bounded: a typo such as
 * `count: 1000000000` must give an error, not exhaust memory.
 */
export const MAX_PLAN_NODES = 10_000;
export const MAX_PLAN_GROUPS = 250;
