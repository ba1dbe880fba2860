/**
 * An append-only log of the API actions the simulators received, per resource type (from the
 * User-Agent the library sends), written when PULUMI_ROLLOUT_ACTION_LOG names a file. The test
 * suite sets it, and scripts/check-policies.js compares what every resource really called with the
 * permissions documented in policies/.
 */
import { appendFileSync } from "node:fs";
import { resourceOfUserAgent } from "../../core/userAgent";

/** Records one action (`ecs:RedeployInstance`) of the resource named in `userAgent`, if any. */
export function logAction(permission: string, userAgent: string | undefined): void {
    const file = process.env.PULUMI_ROLLOUT_ACTION_LOG;
    const resource = resourceOfUserAgent(userAgent);
    if (!file || !resource) {
        return;
    }
    appendFileSync(file, JSON.stringify({ resource, action: permission }) + "\n");
}
