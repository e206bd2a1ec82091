/**
 * Tags: the union of tags carried by Linodes, volumes, NodeBalancers and firewalls, plus those
 * created explicitly. Deleting a tag removes it from everything that carries it.
 */
import { notFound, Problems } from "./errors";
import { FILTERABLE } from "./filterable";
import { renderInstance } from "./instances";
import { renderNodeBalancer } from "./nodebalancers";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import type { SimState } from "./state";
import { asBody, checkString } from "./validate";
import { renderVolume } from "./volumes";

function taggables(state: SimState): Array<{ tags: string[] }> {
    return [...state.instances.values(), ...state.volumes.values(), ...state.nodebalancers.values(), ...state.firewalls.values()];
}

export function allTags(state: SimState): string[] {
    const set = new Set(state.explicitTags);
    for (const o of taggables(state)) for (const t of o.tags) set.add(t);
    return [...set].sort();
}

function idList(p: Problems, field: string, value: unknown, exists: (id: number) => boolean): number[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isInteger(v))) {
        p.add(field, `${field} must be an array of ids`);
        return [];
    }
    for (const id of value as number[]) if (!exists(id)) p.add(field, `${id} not found`);
    return value as number[];
}

function createTag(req: SimRequest): unknown {
    const { state } = req;
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkString(p, "label", b.label, { required: true, min: 3, max: 50 });
    const linodes = idList(p, "linodes", b.linodes, (id) => state.instances.has(id));
    const volumes = idList(p, "volumes", b.volumes, (id) => state.volumes.has(id));
    const nbs = idList(p, "nodebalancers", b.nodebalancers, (id) => state.nodebalancers.has(id));
    if (b.domains !== undefined) p.add("domains", "The simulator has no domains");
    p.throwIfAny();
    const tag = label as string;
    state.explicitTags.add(tag);
    const add = (o: { tags: string[] } | undefined): void => {
        if (o && !o.tags.includes(tag)) o.tags.push(tag);
    };
    linodes.forEach((id) => add(state.instances.get(id)));
    volumes.forEach((id) => add(state.volumes.get(id)));
    nbs.forEach((id) => add(state.nodebalancers.get(id)));
    return { label: tag };
}

function taggedObjects(req: SimRequest): unknown {
    const { state } = req;
    const tag = req.params.tagLabel as string;
    if (!allTags(state).includes(tag)) throw notFound();
    const objects = [
        ...[...state.instances.values()].filter((o) => o.tags.includes(tag)).map((o) => ({ type: "linode", data: renderInstance(state, o) })),
        ...[...state.volumes.values()].filter((o) => o.tags.includes(tag)).map((o) => ({ type: "volume", data: renderVolume(state, o) })),
        ...[...state.nodebalancers.values()].filter((o) => o.tags.includes(tag)).map((o) => ({ type: "nodebalancer", data: renderNodeBalancer(o) })),
    ];
    return listResponse(req, objects, FILTERABLE.tags, { orderBy: "data.id", order: "asc" });
}

function deleteTag(req: SimRequest): unknown {
    const { state } = req;
    const tag = req.params.tagLabel as string;
    if (!allTags(state).includes(tag)) throw notFound();
    state.explicitTags.delete(tag);
    for (const o of taggables(state)) o.tags = o.tags.filter((t) => t !== tag);
    return {};
}

export const tagRoutes: Route[] = [
    {
        method: "GET",
        path: "/tags",
        collection: true,
        handler: (req) => listResponse(req, allTags(req.state).map((label) => ({ label })), FILTERABLE.tags, { orderBy: "label", order: "asc" }),
    },
    { method: "POST", path: "/tags", handler: createTag },
    { method: "GET", path: "/tags/{tagLabel}", collection: true, handler: taggedObjects },
    { method: "DELETE", path: "/tags/{tagLabel}", handler: deleteTag },
];
