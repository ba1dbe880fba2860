/**
 * The User-Agent this library adds to every cloud request: the package and version, and the
 * resource type that made the call, so that a cloud's audit trail (ActionTrail, CloudTrail) tells
 * which resource acted — and the simulators can check the documented permissions per resource.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

/** Prefix of the resource part of the User-Agent. */
export const RESOURCE_AGENT_PREFIX = "rollout-resource/";

/** e.g. `pulumi-rollout/0.1.0 rollout-resource/alicloud.InstanceRedeploy`. */
export function userAgentFor(resource: string): string {
    return `pulumi-rollout/${version} ${RESOURCE_AGENT_PREFIX}${resource}`;
}

/** The resource type named in a User-Agent header, if any. */
export function resourceOfUserAgent(userAgent: string | undefined): string | undefined {
    const m = /rollout-resource\/([A-Za-z0-9.]+)/.exec(userAgent ?? "");
    return m?.[1];
}
