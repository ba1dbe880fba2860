// Bench program: `count` alicloud.InstanceRefresh resources, one per scaling group
// `${groupPrefix}${i}` (the ESS simulator's groups), all of them in one stack.
import * as pulumi from "@pulumi/pulumi";
import { InstanceRefresh } from "../../src/alicloud";

const config = new pulumi.Config();
const count = config.requireNumber("count");
const prefix = config.require("groupPrefix");

const refreshes = Array.from(
    { length: count },
    (_, i) =>
        new InstanceRefresh(`refresh-${i}`, {
            scalingGroupId: `${prefix}${i}`,
            desiredConfiguration: { imageId: config.get("imageId") ?? "m-bench-v2" },
            minHealthyPercentage: 80,
            maxHealthyPercentage: 120,
            triggers: { release: config.get("release") ?? "1" },
            checkpoints: config.getObject<number[]>("checkpoints"),
            checkpointPauseMinutes: config.getNumber("checkpointPauseMinutes"),
            timeoutMinutes: config.getNumber("timeoutMinutes") ?? 30,
        }),
);

/** How many refreshes ended each way. */
export const statuses = pulumi.all(refreshes.map((r) => r.status)).apply((all) =>
    all.reduce<Record<string, number>>((acc, s) => {
        const key = s ?? "unknown";
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
    }, {}),
);
