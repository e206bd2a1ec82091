import { groupsWithRole, memberAddresses, nodesWithRole, servicePort, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

const DB_ROLES = ["mysql", "mariadb"];

/** WordPress: database hosts (`mysql`/`mariadb` nodes, first is the primary) and memcached servers. */
export const wordpressWiring: Wiring = {
    name: "wordpress",
    description: "db host(s) for wp-config, memcached servers",
    roles: ["wordpress", ...DB_ROLES, "memcached"],
    wire(inv) {
        const out = emptyOutput();
        const all = nodesWithRole(inv, this.roles);
        if (all.length === 0) return out;
        const dbPort = servicePort(groupsWithRole(inv, DB_ROLES), ["mysql", "mariadb", "db"], 3306);
        const mcPort = servicePort(groupsWithRole(inv, ["memcached"]), ["memcached"], 11211);
        const dbs = memberAddresses(nodesWithRole(inv, DB_ROLES), out, "wordpress db hosts", all);
        const mcs = memberAddresses(nodesWithRole(inv, ["memcached"]), out, "wordpress memcached servers", all);
        if (nodesWithRole(inv, ["wordpress"]).length > 0 && dbs.length === 0) out.warnings.push("wordpress: no mysql or mariadb node for the database");
        out.vars = {
            ...(dbs.length > 0 ? { wordpress_db_host: dbPort === 3306 ? dbs[0]!.address : `${dbs[0]!.address}:${dbPort}` } : {}),
            wordpress_db_hosts: dbs.map((d) => d.address),
            wordpress_memcached_servers: mcs.map((m) => `${m.address}:${mcPort}`),
        };
        return out;
    },
};
