/**
 * The simulator's world: records of every object, the event log, and a queue of timed
 * transitions (booting → running after `bootMs`, …). Transitions are applied lazily, in time
 * order, whenever a request arrives (`advance`), so there are no timers to leak and a test
 * sees the same sequence however it polls.
 */
import type { SimCatalog } from "./catalog";
import { SimError } from "./errors";

export interface SimTimings {
    /** provisioning → booting/offline after a create. */
    provisionMs: number;
    /** booting → running (boot, and the boot after a create). */
    bootMs: number;
    shutdownMs: number;
    rebootMs: number;
    /** deleting → gone. */
    deleteMs: number;
    /** Volume creating → active. */
    volumeMs: number;
}

export const DEFAULT_TIMINGS: SimTimings = {
    provisionMs: 2000,
    bootMs: 3000,
    shutdownMs: 2000,
    rebootMs: 4000,
    deleteMs: 1000,
    volumeMs: 1000,
};

export type InstanceStatus =
    | "running"
    | "offline"
    | "booting"
    | "rebooting"
    | "shutting_down"
    | "provisioning"
    | "deleting"
    | "stopped";

export interface InstanceRecord {
    id: number;
    label: string;
    region: string;
    type: string;
    image: string | null;
    status: InstanceStatus;
    tags: string[];
    group: string;
    created: number;
    updated: number;
    publicIpv4: string;
    privateIpv4?: string;
    ipv6: string;
    rdns: Record<string, string | null>;
    watchdog: boolean;
    alerts: { cpu: number; io: number; network_in: number; network_out: number; transfer_quota: number };
    backupsEnabled: boolean;
    backupSchedule: { day: string | null; window: string | null };
    hasUserData: boolean;
    hostUuid: string;
    /** Bumped by every power action, so a superseded transition knows to do nothing. */
    op: number;
}

export interface EventRecord {
    id: number;
    action: string;
    created: number;
    status: "scheduled" | "started" | "finished" | "failed" | "notification";
    entity: { id: number; label: string; type: string; url: string };
    finishedAt?: number;
    read: boolean;
    seen: boolean;
}

export interface VolumeRecord {
    id: number;
    label: string;
    status: "creating" | "active" | "resizing";
    size: number;
    region: string;
    linodeId: number | null;
    tags: string[];
    created: number;
    updated: number;
}

export interface FirewallRule {
    action: "ACCEPT" | "DROP";
    protocol: "TCP" | "UDP" | "ICMP" | "IPENCAP";
    addresses: { ipv4?: string[]; ipv6?: string[] };
    ports?: string | null;
    label?: string;
    description?: string;
}

export interface FirewallRecord {
    id: number;
    label: string;
    status: "enabled" | "disabled";
    tags: string[];
    inboundPolicy: "ACCEPT" | "DROP";
    outboundPolicy: "ACCEPT" | "DROP";
    inbound: FirewallRule[];
    outbound: FirewallRule[];
    version: number;
    devices: Array<{ id: number; type: "linode" | "nodebalancer"; entityId: number; created: number; updated: number }>;
    created: number;
    updated: number;
}

export interface NbNodeRecord {
    id: number;
    address: string;
    label: string;
    weight: number;
    mode: "accept" | "reject" | "drain" | "backup";
}

export interface NbConfigRecord {
    id: number;
    settings: Record<string, unknown> & { port: number };
    nodes: NbNodeRecord[];
}

export interface NodeBalancerRecord {
    id: number;
    label: string;
    region: string;
    ipv4: string;
    ipv6: string;
    clientConnThrottle: number;
    tags: string[];
    configs: NbConfigRecord[];
    created: number;
    updated: number;
}

interface Job {
    at: number;
    seq: number;
    run(at: number): void;
}

export class SimState {
    readonly instances = new Map<number, InstanceRecord>();
    readonly events: EventRecord[] = [];
    readonly volumes = new Map<number, VolumeRecord>();
    readonly firewalls = new Map<number, FirewallRecord>();
    readonly nodebalancers = new Map<number, NodeBalancerRecord>();
    /** Tags created with POST /tags, which exist even when nothing carries them. */
    readonly explicitTags = new Set<string>();
    private nextId = { linode: 1000, event: 5000, volume: 200, firewall: 300, nb: 400, nbConfig: 500, nbNode: 600, device: 700 };
    private publicIpCount = 0;
    private privateIpCount = 0;
    private jobs: Job[] = [];
    private jobSeq = 0;

    constructor(
        readonly catalog: SimCatalog,
        readonly timings: SimTimings,
    ) {}

    newId(kind: keyof SimState["nextId"]): number {
        return this.nextId[kind]++;
    }

    /** Runs `run` at `at` (or at the next request after it). */
    schedule(at: number, run: (at: number) => void): void {
        this.jobs.push({ at, seq: this.jobSeq++, run });
        this.jobs.sort((a, b) => a.at - b.at || a.seq - b.seq);
    }

    /** Applies every transition due by `now`, in order; a transition may schedule the next. */
    advance(now: number): void {
        for (;;) {
            const next = this.jobs[0];
            if (!next || next.at > now) return;
            this.jobs.shift();
            next.run(next.at);
        }
    }

    /** Pending transitions (for `stats` and tests). */
    pendingJobs(): number {
        return this.jobs.length;
    }

    addEvent(action: string, entity: EventRecord["entity"], at: number, status: EventRecord["status"] = "started"): EventRecord {
        const ev: EventRecord = { id: this.newId("event"), action, created: at, status, entity, read: false, seen: false };
        this.events.push(ev);
        return ev;
    }

    finishEvent(ev: EventRecord, at: number, status: "finished" | "failed" = "finished"): void {
        ev.status = status;
        ev.finishedAt = at;
    }

    /** Addresses from 198.18.0.0/15, the range RFC 2544 sets aside for benchmarks. */
    allocatePublicIpv4(): string {
        const n = this.publicIpCount;
        const hostsPerNet = 252; // .2–.253: .1 is the gateway
        const net = Math.floor(n / hostsPerNet);
        if (net >= 512) throw new SimError(400, [{ reason: "the simulator has no public IPv4 addresses left (198.18.0.0/15)" }]);
        this.publicIpCount++;
        return `198.${18 + Math.floor(net / 256)}.${net % 256}.${(n % hostsPerNet) + 2}`;
    }

    /** Linode private addresses come from 192.168.128.0/17. */
    allocatePrivateIpv4(): string {
        const n = this.privateIpCount;
        if (n >= 128 * 254) throw new SimError(400, [{ reason: "the simulator has no private IPv4 addresses left (192.168.128.0/17)" }]);
        this.privateIpCount++;
        return `192.168.${128 + Math.floor(n / 254)}.${(n % 254) + 1}`;
    }

    instanceByPrivateIp(address: string): InstanceRecord | undefined {
        for (const i of this.instances.values()) if (i.privateIpv4 === address) return i;
        return undefined;
    }
}

/** The API's timestamp format: UTC, second precision, no zone suffix. */
export function apiTime(ms: number): string {
    return new Date(ms).toISOString().slice(0, 19);
}
