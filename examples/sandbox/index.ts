// An ESS instance refresh rehearsed against the bundled simulator (`npm run demo` runs it).
// Point ALIBABA_CLOUD_ESS_ENDPOINT at the simulator and use its access key; against the real
// cloud, unset the endpoint and use your own credentials and scaling group.
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-rollout";

const config = new pulumi.Config();

const web = new alicloud.InstanceRefresh("web", {
    scalingGroupId: config.get("scalingGroupId") ?? "asg-sandbox-web",
    // The region comes from the stack config `alicloud:region`.
    desiredConfiguration: { imageId: config.get("imageId") ?? "m-sandbox-image-v2" },
    minHealthyPercentage: config.getNumber("minHealthyPercentage") ?? 80,
    maxHealthyPercentage: config.getNumber("maxHealthyPercentage") ?? 120,
    checkpoints: config.getObject<number[]>("checkpoints"),
    checkpointPauseMinutes: config.getNumber("checkpointPauseMinutes"),
    // Bump `release` to refresh the group again with the same image.
    triggers: { release: config.get("release") ?? "1" },
    timeoutMinutes: config.getNumber("timeoutMinutes") ?? 30,
    onFailure: (config.get("onFailure") as "rollback" | "fail" | undefined) ?? "fail",
    onTimeout: (config.get("onTimeout") as "cancel" | "rollback" | "leave" | undefined) ?? "cancel",
    onConflict: (config.get("onConflict") as "wait" | "cancel" | "fail" | undefined) ?? "wait",
});

export const taskId = web.instanceRefreshTaskId;
export const status = web.status;
export const replaced = pulumi.interpolate`${web.finishedUpdateCapacity}/${web.totalNeedUpdateCapacity}`;
