// Importing the templates registers their per-role bootstrap with the hardening (see register-bootstrap.ts).
import "./register-bootstrap";
/**
 * Bundled cluster templates: load, list, parameters, render. Pure apart from reading the
 * template files. See docs/templates.md.
 */
export { templateFile, parameterSpec, roleSpec, type TemplateFile, type ParameterSpec, type RoleSpec } from "./format";
export { TEMPLATES_DIR, templateNames, isTemplateName, loadTemplate, loadTemplates, readTemplateFile, TemplateFormatError, UnknownTemplateError } from "./load";
export { coerceParameter, describeAllowed, parameterSchema, resolveParameters, TemplateParameterError, type ParameterIssue, type ParameterValue, type ParameterValues } from "./parameters";
export { expand, ExpansionError } from "./expand";
export { renderTemplate, roleCounts, type RenderedTemplate, type RenderOptions } from "./render";
export { parseSetArguments, SetArgumentError } from "./set-arguments";
export { describeTemplate, servicePorts, type TemplateDescription } from "./describe";
export { renderPlanYaml } from "./plan-yaml";
export { bootstrapExtension, bootstrapRequested, bootstrapScripts, nodeBootstrapScript, offeredBootstrap, roleBootstrap, ROLE_BOOTSTRAPS, BootstrapError } from "./bootstrap";

