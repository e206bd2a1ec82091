import { isUnknown, Registration, withoutSecrets } from "./mock-runtime";

/**
 * "linode:index/instance:Instance" → "linode.Instance", "lct:index:SecureNode" → "SecureNode",
 * LCT's dynamic resources "pulumi-nodejs:dynamic/lct:ClusterPower" → "ClusterPower".
 */
export function shortType(type: string): string {
    if (type.startsWith("lct:index:")) return type.slice("lct:index:".length);
    if (type.startsWith("pulumi-nodejs:dynamic/lct:")) return type.slice("pulumi-nodejs:dynamic/lct:".length);
    const [pkg, mod, name] = type.split(":");
    if (!name) return type;
    const module = mod && mod !== "index" && !mod.startsWith("index/") ? `${mod.split("/")[0]}.` : "";
    return `${pkg}.${module}${name}`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const show = (v: unknown): string => (isUnknown(v) ? "(known after create)" : v === "[secret]" ? "[secret]" : String(v));

/** The few inputs that tell a reader what a resource is; secrets shown as [secret]. */
export function resourceSummary(r: Registration): string {
    const i = withoutSecrets(r.inputs) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    switch (r.type) {
        case "linode:index/instance:Instance": {
            const vpc = (i.interfaces ?? []).find((x: { purpose?: string }) => x.purpose === "vpc")?.ipv4?.vpc;
            const userData = i.metadatas?.[0]?.userData;
            const boot =
                i.stackscriptId !== undefined
                    ? "StackScript"
                    : typeof userData === "string" && !isUnknown(userData)
                      ? `cloud-init ${Buffer.from(userData, "base64").length} B`
                      : "cloud-init";
            return [i.label, i.type, i.region, i.image, vpc ? `vpc ${vpc}` : i.privateIp ? "private IPv4" : "", boot].filter(Boolean).join(" · ");
        }
        case "linode:index/volume:Volume":
            return `${i.label} · ${i.size} GB${r.protect ? " · protected" : r.retainOnDelete ? " · retained on delete" : ""}`;
        case "linode:index/firewall:Firewall":
            return `${i.label} · inbound ${i.inboundPolicy} · ${count((i.inbounds ?? []).length, "rule")} · ${count((i.linodes ?? []).length, "Linode")}`;
        case "linode:index/nodeBalancer:NodeBalancer":
            return `${i.label} · ${i.region}`;
        case "linode:index/nodeBalancerConfig:NodeBalancerConfig":
            return `:${i.port} ${i.protocol} ${i.algorithm} · check ${i.check}${i.checkPath ? ` ${i.checkPath}` : ""}`;
        case "linode:index/nodeBalancerNode:NodeBalancerNode":
            return `${i.label} → ${show(i.address)}`;
        case "linode:index/vpc:Vpc":
            return `${i.label} · ${i.region}`;
        case "linode:index/vpcSubnet:VpcSubnet":
            return `${i.label} · ${i.ipv4}`;
        case "linode:index/placementGroup:PlacementGroup":
            return `${i.label} · ${i.placementGroupType} (${i.placementGroupPolicy})`;
        case "linode:index/domain:Domain":
            return `${i.domain} (${i.type})`;
        case "linode:index/domainRecord:DomainRecord":
            return `${i.name} ${i.recordType} → ${show(i.target)}`;
        case "linode:index/stackScript:StackScript":
            return `${i.label} · ${show(i.script) === "(known after create)" ? "script rendered at deploy" : `${String(i.script).length} B`}`;
        case "command:remote:Command":
            return "member sync over SSH";
        case "command:local:Command":
            return "member sync over SSH through the bastion";
        case "random:index/randomPassword:RandomPassword":
            return `${i.length}-character root password [secret]`;
        case "pulumi-nodejs:dynamic/lct:ClusterPower":
            return `power ${show(i.power)}, ${count((i.groups ?? []).length, "group")} in boot order (lct:power)`;
        case "pulumi-nodejs:dynamic/lct:NodeReadiness":
            return "waits until the group's nodes answer";
        case "tls:index/privateKey:PrivateKey":
            return `${i.algorithm} admin key pair (private key [secret])`;
        default:
            return "";
    }
}
