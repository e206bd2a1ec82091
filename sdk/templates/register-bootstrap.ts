import { registerFirstBootExtension } from "../hardening";
import { bootstrapExtension } from "./bootstrap";

// A template's per-role bootstrap reaches nodes through the hardening's first-boot hook:
// rendering any plan whose template asks for `bootstrap: true` includes it from now on.
registerFirstBootExtension(bootstrapExtension);
