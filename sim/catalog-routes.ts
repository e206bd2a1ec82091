/** Regions, Linode types and images: public, read-only, served from the catalogue. */
import { notFound } from "./errors";
import { FILTERABLE } from "./filterable";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";

function byId<T extends { id: string }>(items: T[], id: string | undefined): T {
    const hit = items.find((i) => i.id === id);
    if (!hit) throw notFound();
    return hit;
}

const imageById = (req: SimRequest, id: string): unknown => byId(req.state.catalog.images, id);

export const catalogRoutes: Route[] = [
    {
        method: "GET",
        path: "/regions",
        collection: true,
        public: true,
        handler: (req) => listResponse(req, req.state.catalog.regions, FILTERABLE.regions),
    },
    { method: "GET", path: "/regions/{regionId}", public: true, handler: (req) => byId(req.state.catalog.regions, req.params.regionId) },
    {
        method: "GET",
        path: "/linode/types",
        collection: true,
        public: true,
        handler: (req) => listResponse(req, req.state.catalog.types, FILTERABLE.types),
    },
    { method: "GET", path: "/linode/types/{typeId}", public: true, handler: (req) => byId(req.state.catalog.types, req.params.typeId) },
    {
        method: "GET",
        path: "/images",
        collection: true,
        public: true,
        handler: (req) => listResponse(req, req.state.catalog.images, FILTERABLE.images),
    },
    // Image ids contain a slash; clients send it escaped (linode%2Fdebian12) or not.
    { method: "GET", path: "/images/{imageId}", public: true, handler: (req) => imageById(req, req.params.imageId as string) },
    {
        method: "GET",
        path: "/images/{imageVendor}/{imageName}",
        public: true,
        specPath: "/images/{imageId}",
        handler: (req) => imageById(req, `${req.params.imageVendor}/${req.params.imageName}`),
    },
];
