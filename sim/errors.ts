/** Error answers in the API's shape: `{"errors": [{"field"?, "reason"}]}`. */

export interface ErrorEntry {
    field?: string;
    reason: string;
}

export class SimError extends Error {
    constructor(
        readonly status: number,
        readonly errors: ErrorEntry[],
    ) {
        super(errors.map((e) => (e.field ? `${e.field}: ${e.reason}` : e.reason)).join("; "));
    }
}

export const notFound = (): SimError => new SimError(404, [{ reason: "Not found" }]);
export const linodeBusy = (): SimError => new SimError(400, [{ reason: "Linode busy." }]);
export const badRequest = (reason: string, field?: string): SimError =>
    new SimError(400, [field === undefined ? { reason } : { field, reason }]);

/** Collects every problem of a request, as the API reports "as many as possible" at once. */
export class Problems {
    readonly list: ErrorEntry[] = [];
    add(field: string | undefined, reason: string): void {
        this.list.push(field === undefined ? { reason } : { field, reason });
    }
    throwIfAny(): void {
        if (this.list.length > 0) throw new SimError(400, this.list);
    }
}
