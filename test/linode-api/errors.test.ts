import { describe, expect, it } from "vitest";
import {
    isLinodeApiError,
    isLinodeRequestError,
    isNotFound,
    linodeApiError,
    linodeRequestError,
    parseErrorBody,
    redactToken,
} from "../../sdk/linode-api/errors";

describe("parseErrorBody", () => {
    it("reads every entry with its field", () => {
        const body = JSON.stringify({ errors: [{ field: "region", reason: "region is not valid" }, { reason: "Linode busy." }] });
        expect(parseErrorBody(400, body)).toEqual([{ field: "region", reason: "region is not valid" }, { reason: "Linode busy." }]);
    });
    it("turns a body that is not the API's JSON into one readable reason", () => {
        expect(parseErrorBody(502, "<html><body>Bad   gateway</body></html>")).toEqual([{ reason: "HTTP 502: <html><body>Bad gateway</body></html>" }]);
        expect(parseErrorBody(503, "")).toEqual([{ reason: "HTTP 503" }]);
        expect(parseErrorBody(400, JSON.stringify({ errors: [] }))).toEqual([{ reason: 'HTTP 400: {"errors":[]}' }]);
    });
});

describe("typed errors", () => {
    it("carry status, field and reason of the first entry, and list all in the message", () => {
        const e = linodeApiError({
            method: "POST",
            path: "/linode/instances",
            attempts: 1,
            status: 400,
            errors: [{ field: "label", reason: "too short" }, { field: "type", reason: "type is not valid" }],
        });
        expect(e).toBeInstanceOf(Error);
        expect([e.status, e.field, e.reason]).toEqual([400, "label", "too short"]);
        expect(e.message).toBe("Linode API POST /linode/instances failed with 400: label: too short; type: type is not valid");
        expect(isLinodeApiError(e)).toBe(true);
        expect(isLinodeApiError(e, 404)).toBe(false);
        expect(isNotFound(linodeApiError({ method: "GET", path: "/x", attempts: 3, status: 404, errors: [{ reason: "Not found" }] }))).toBe(true);
    });
    it("say how many attempts were made", () => {
        const e = linodeRequestError({ method: "GET", path: "/regions", attempts: 4, failure: "timeout", detail: "no answer within 100 ms" });
        expect(e.message).toBe("Linode API GET /regions timed out: no answer within 100 ms (after 4 attempts)");
        expect(isLinodeRequestError(e, "timeout")).toBe(true);
        expect(isLinodeApiError(e)).toBe(false);
    });
    it("never show the token", () => {
        const token = "tok-abcdef-123456";
        const e = linodeApiError({ method: "GET", path: `/x/${token}`, attempts: 1, status: 401, errors: [{ reason: `bad ${token}` }], token });
        expect(e.message).not.toContain(token);
        expect(redactToken(`Bearer ${token} and ${token}`, token)).toBe("Bearer <redacted> and <redacted>");
    });
});
