import type { ResolvedPlan } from "../plan/resolved";

/**
 * Pulumi logical names of children. The resolved plan names resources after the plan's
 * cluster name; a program may give the component another name, so the plan-name prefix is
 * swapped for the component name. Linode labels keep the plan's names either way.
 */
export function childNamer(componentName: string, plan: ResolvedPlan): (resourceName: string) => string {
    return (resourceName) =>
        resourceName.startsWith(plan.name) ? componentName + resourceName.slice(plan.name.length) : `${componentName}-${resourceName}`;
}
