import { formatIssue, PlanIssue } from "./issues";

/** Thrown when a plan given to code (LinodeCluster, resolvePlan) is invalid: every error, with its path. */
export class PlanValidationError extends Error {
    constructor(
        public readonly issues: PlanIssue[],
        public readonly file?: string,
    ) {
        const errors = issues.filter((i) => i.severity === "error");
        super(
            `the cluster plan${file ? ` ${file}` : ""} is invalid (${errors.length} error${errors.length === 1 ? "" : "s"}):\n` +
                errors.map((i) => `  ${formatIssue(i, file)}`).join("\n"),
        );
        this.name = "PlanValidationError";
    }
}
