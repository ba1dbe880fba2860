// Bench program: one alicloud.InstanceRedeploy of every instance in `instanceIds`, `maxConcurrent`
// at a time (the ECS simulator's instances).
import * as pulumi from "@pulumi/pulumi";
import { InstanceRedeploy } from "../../src/alicloud";

const config = new pulumi.Config();

const fleet = new InstanceRedeploy("fleet", {
    instanceIds: config.requireObject<string[]>("instanceIds"),
    when: "always",
    maxConcurrent: config.requireNumber("maxConcurrent"),
    forceStop: false,
    timeoutMinutes: 60,
});

export const status = fleet.status;
export const redeployed = fleet.redeployedInstanceIds.apply((ids) => ids?.length ?? 0);
export const failed = fleet.failedInstanceIds.apply((ids) => ids?.length ?? 0);
