/** Raw HTTP against the simulator, for asserting exact statuses, bodies and headers. */
export interface RawAnswer {
    status: number;
    body: any;
    headers: Headers;
}

/** `token: null` sends no Authorization header. */
export function rawApi(baseUrl: string, token: string | null = "sim-test") {
    return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> => {
        const res = await fetch(`${baseUrl}/v4${path}`, {
            method,
            headers: {
                ...(token ? { Authorization: `Bearer ${token}` } : {}),
                ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                ...headers,
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
