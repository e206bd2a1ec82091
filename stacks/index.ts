// The root Pulumi program (see Pulumi.yaml): everything lives in sdk/stack/program.ts.
import { stackProgram } from "../sdk/stack/program";

export = stackProgram();
