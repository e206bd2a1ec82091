import { mergeRanges, parsePortSpec } from "../../network/ports";
import type { PortRange, PortSet, Protocol } from "../resolved";
import type { PortRulePlan } from "../schema";

/** Plan port entries (443, "8000-8010", {port, protocol}) → merged port sets per protocol. */
export function toPortSets(rules: readonly PortRulePlan[] | undefined): PortSet[] {
    const by = new Map<Protocol, PortRange[]>();
    for (const rule of rules ?? []) {
        const { spec, protocol } =
            typeof rule === "object" ? { spec: rule.port, protocol: rule.protocol } : { spec: rule, protocol: "tcp" as const };
        const range = parsePortSpec(spec);
        if (!range) continue; // The schema has already rejected it.
        by.set(protocol, [...(by.get(protocol) ?? []), range]);
    }
    return [...by.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([protocol, ports]) => ({ protocol, ports: mergeRanges(ports) }));
}

export function toRanges(specs: ReadonlyArray<number | string>): PortRange[] {
    return mergeRanges(specs.map(parsePortSpec).filter((r): r is PortRange => r !== undefined));
}
