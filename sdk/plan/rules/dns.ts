import { error, PlanIssue } from "../issues";
import { unknownPlaceholders } from "../normalize/dns-names";
import type { PlanRule } from "./rule";

export const dnsSettings: PlanRule = {
    id: "dns",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        const dns = plan.dns;
        if (!dns) return issues;
        if (dns.domainId === undefined && dns.soaEmail === undefined) {
            issues.push(error("dns.soa", "dns", "give soaEmail (LCT creates the domain) or domainId (use an existing domain)"));
        }
        for (const p of unknownPlaceholders(dns.hostnamePattern)) {
            issues.push(error("dns.pattern", "dns.hostnamePattern", `unknown placeholder {${p}}; use {cluster} {region} {group} {role} {index}`));
        }
        if (!dns.hostnamePattern.includes("{index}")) {
            issues.push(error("dns.pattern", "dns.hostnamePattern", "must contain {index} so that every node gets its own name"));
        }
        return issues;
    },
};

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Linode domain records: `name` is 1–100 characters (linode-api.md §9). */
const MAX_RECORD_NAME = 100;

/** Record names LCT will create must be valid, unique DNS names. */
export const dnsNames: PlanRule = {
    id: "dns.names",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        if (!resolved.dns) return issues;
        const seen = new Map<string, string>();
        for (const n of resolved.nodes) {
            const name = n.dnsName!;
            const bad = name.split(".").find((l) => !DNS_LABEL.test(l));
            if (bad !== undefined) {
                issues.push(error("dns.names", "dns.hostnamePattern", `gives "${name}" for ${n.name}; "${bad}" is not a valid DNS label`));
                break;
            }
            if (name.length > MAX_RECORD_NAME) {
                issues.push(error("dns.names", "dns.hostnamePattern", `gives "${name}" for ${n.name}, longer than the ${MAX_RECORD_NAME} characters Linode allows in a record name`));
                break;
            }
            if (n.fqdn!.length > 253) {
                issues.push(error("dns.names", "dns.hostnamePattern", `gives "${n.fqdn}", longer than 253 characters`));
                break;
            }
            const other = seen.get(name);
            if (other) {
                issues.push(error("dns.names", "dns.hostnamePattern", `gives the same name "${name}" to ${other} and ${n.name}; add {region} or {group}`));
                break;
            }
            seen.set(name, n.name);
        }
        return issues;
    },
};
