/**
 * The account event log. Pollers (linodego's event poller, hence the official providers) list
 * it with dotted-key filters such as `{"entity.id": 123, "entity.type": "linode",
 * "action": "linode_boot", "+order_by": "created", "+order": "desc"}`; newest first by default.
 */
import { notFound } from "./errors";
import { FILTERABLE } from "./filterable";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import { apiTime, type EventRecord } from "./state";

export function renderEvent(ev: EventRecord, now: number): Record<string, unknown> {
    const done = ev.status === "finished" || ev.status === "failed" || ev.status === "notification";
    const end = ev.finishedAt ?? (done ? ev.created : now);
    return {
        id: ev.id,
        action: ev.action,
        created: apiTime(ev.created),
        status: ev.status,
        entity: { ...ev.entity },
        percent_complete: done ? 100 : 0,
        duration: Math.round((end - ev.created) / 100) / 10,
        time_remaining: null,
        seen: ev.seen,
        read: ev.read,
        username: "lct-sim",
        message: null,
    };
}

function findEvent(req: SimRequest): EventRecord {
    const id = Number(req.params.eventId);
    const ev = req.state.events.find((e) => e.id === id);
    if (!ev) throw notFound();
    return ev;
}

export const eventRoutes: Route[] = [
    {
        method: "GET",
        path: "/account/events",
        collection: true,
        handler: (req) =>
            listResponse(
                req,
                req.state.events.map((e) => renderEvent(e, req.now)),
                FILTERABLE.events,
                { orderBy: "id", order: "desc" },
            ),
    },
    { method: "GET", path: "/account/events/{eventId}", handler: (req) => renderEvent(findEvent(req), req.now) },
    {
        method: "POST",
        path: "/account/events/{eventId}/seen",
        handler: (req) => {
            // Marking one event seen marks every earlier one too (spec).
            const ev = findEvent(req);
            for (const e of req.state.events) if (e.id <= ev.id) e.seen = true;
            return {};
        },
    },
    {
        method: "POST",
        path: "/account/events/{eventId}/read",
        handler: (req) => {
            findEvent(req).read = true;
            return {};
        },
    },
];
