/**
 * Input LCT cannot use at all (missing file, binary, malformed YAML…), as opposed to a plan
 * that parses but is invalid. The CLI maps it to exit code 2; the message names the file and,
 * where known, the line and column.
 */
export class PlanInputError extends Error {
    constructor(
        message: string,
        public readonly file?: string,
        public readonly line?: number,
        public readonly column?: number,
    ) {
        super(message);
        this.name = "PlanInputError";
    }

    /** `plan.yaml:3:5: message`. */
    get located(): string {
        const where = [this.file, this.line, this.column].filter((x) => x !== undefined).join(":");
        return where ? `${where}: ${this.message}` : this.message;
    }
}
