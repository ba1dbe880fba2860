/**
 * The progress profiles of part 1, for both clouds. Each profile is a sandbox scenario plus the
 * resource arguments a user would write; the bench turns the arguments into the runner's task API
 * and policy through the resources' own specs (validate → taskApi → policyOf), so the waits are
 * the ones `pulumi up` performs.
 */
import type { VirtualClock } from "../../src/core/clock";
import type { RefreshPolicy, RefreshTaskApi, TaskSnapshot } from "../../src/core/refreshRunner";
import { essRefreshSpec } from "../../src/resources/alicloudInstanceRefresh/provider";
import { snapshotOf } from "../../src/resources/alicloudInstanceRefresh/taskApi";
import { awsRefreshSpec } from "../../src/resources/awsInstanceRefresh/provider";
import { asgSnapshotOf } from "../../src/resources/awsInstanceRefresh/taskApi";
import { RefreshEngine } from "../../src/sandbox/ess/refreshEngine";
import type { EssGroupSeed, EssScenario } from "../../src/sandbox/ess/types";
import { AsgRefreshEngine } from "../../src/sandbox/autoscaling/refreshEngine";
import type { AsgGroupSeed, AsgScenario } from "../../src/sandbox/autoscaling/types";
import { asgCloud, type CloudRecord, essCloud } from "./clouds";

export type CloudName = "ess" | "aws";

/** A cloud-neutral description of how a refresh progresses. */
export interface Shape {
    id: string;
    title: string;
    /** Instances in the group. */
    capacity: number;
    /** Instances replaced per batch (set through the healthy percentages). */
    batchSize: number;
    /** Seconds one batch takes. */
    batchSeconds: number;
    /** Checkpoint percentages (the last one 100) and the pause at each, in minutes. */
    checkpoints?: { percentages: number[]; pauseMinutes: number };
    /** A batch (1-based) whose new instances take this long to bootstrap (a lifecycle hook). */
    stall?: { batch: number; seconds: number };
    /** The refresh fails once this percentage is replaced. */
    failAtPercent?: number;
    /** What the resource is asked to do on a failure. */
    onFailure: "fail" | "rollback";
    /**
     * A refresh of seconds (the e2e tests' and the demo's): its alignments are 0–5.5 s instead of
     * 0–27.5 s (a later answer would find it ended), and the previous poller runs beside it.
     */
    short?: boolean;
}

/** One profile on one cloud, ready to run. */
export interface Setup {
    api: RefreshTaskApi<TaskSnapshot>;
    policy: RefreshPolicy;
    record: CloudRecord;
}

export const SHAPES: Shape[] = [
    {
        id: "steady-10s",
        title: "10-second refresh (5 instances, 1 per 2 s batch, as in the e2e tests)",
        capacity: 5,
        batchSize: 1,
        batchSeconds: 2,
        onFailure: "fail",
        short: true,
    },
    {
        id: "steady-20s",
        title: "20-second refresh (4 instances, 1 per 5 s batch)",
        capacity: 4,
        batchSize: 1,
        batchSeconds: 5,
        onFailure: "fail",
        short: true,
    },
    {
        id: "steady-10m",
        title: "10-minute steady refresh (20 instances, 1 per 30 s batch)",
        capacity: 20,
        batchSize: 1,
        batchSeconds: 30,
        onFailure: "fail",
    },
    {
        id: "steady-60m",
        title: "60-minute steady refresh (60 instances, 1 per 60 s batch)",
        capacity: 60,
        batchSize: 1,
        batchSeconds: 60,
        onFailure: "fail",
    },
    {
        id: "batched",
        title: "batched steps (20 instances, 5 per 150 s batch: progress jumps 25 %)",
        capacity: 20,
        batchSize: 5,
        batchSeconds: 150,
        onFailure: "fail",
    },
    {
        id: "checkpoints",
        title: "checkpoint pauses (20 × 30 s, pauses of 10 min at 25 % and 50 %)",
        capacity: 20,
        batchSize: 1,
        batchSeconds: 30,
        checkpoints: { percentages: [25, 50, 100], pauseMinutes: 10 },
        onFailure: "fail",
    },
    {
        id: "stall",
        title: "stall that resumes (20 × 30 s; batch 11's instance holds a lifecycle hook 15 min)",
        capacity: 20,
        batchSize: 1,
        batchSeconds: 30,
        stall: { batch: 11, seconds: 900 },
        onFailure: "fail",
    },
    {
        id: "fail-10",
        title: "early failure at 10 % (20 × 30 s)",
        capacity: 20,
        batchSize: 1,
        batchSeconds: 30,
        failAtPercent: 10,
        onFailure: "fail",
    },
    {
        id: "rollback",
        title: 'failure at 50 % with onFailure "rollback" (20 × 30 s), waited until rolled back',
        capacity: 20,
        batchSize: 1,
        batchSeconds: 30,
        failAtPercent: 50,
        onFailure: "rollback",
    },
];

/** Long enough for every profile: no wait here ends on its deadline. */
const TIMEOUT_MINUTES = 240;

/** Min/max healthy percentages that make `batchSize` the batch size for `capacity`. */
function healthyFor(shape: Shape): { min: number; max: number } {
    const min = 100 - Math.floor((shape.batchSize * 100) / shape.capacity);
    return { min: shape.batchSize === 1 ? 100 : min, max: 100 };
}

function throwOnViolations(cloud: string, shape: Shape, violations: unknown[]): void {
    if (violations.length > 0) {
        throw new Error(
            `bench: profile ${shape.id} (${cloud}) has invalid arguments: ${JSON.stringify(violations)}`,
        );
    }
}

/** The ESS realization: a scaling group in the ESS engine, alicloud.InstanceRefresh's arguments. */
function essSetup(
    shape: Shape,
    clock: VirtualClock,
    startLatencyMs: number,
    onSnapshot: (s: TaskSnapshot) => void,
): Setup {
    const engine = new RefreshEngine({ newTaskId: () => "ir-bench0000000000000001" });
    const scenario: EssScenario = {
        pendingSeconds: 1,
        batchSeconds: shape.batchSeconds,
        failAtPercent: shape.failAtPercent,
    };
    const seed: EssGroupSeed = { scalingGroupId: "asg-bench", capacity: shape.capacity };
    if (shape.stall) {
        // Every batch's instances complete the hook at once, but the stalled batch's.
        seed.lifecycleHooks = [{ lifecycleHookId: "ash-bench", heartbeatTimeout: 3600 }];
        const byBatch = new Array<number>(shape.stall.batch + 1).fill(0);
        byBatch[shape.stall.batch - 1] = shape.stall.seconds;
        scenario.bootstrapSecondsByBatch = byBatch;
    }
    engine.addGroup(seed, clock.now());
    engine.setScenario(seed.scalingGroupId, scenario, clock.now());
    const { api: ess, record } = essCloud(engine, clock, "cn-hangzhou", {
        startLatencyMs,
        onTask: (t) => onSnapshot(snapshotOf(t)),
    });
    const spec = essRefreshSpec(() => ess);
    const healthy = healthyFor(shape);
    const { inputs, violations } = spec.validate({
        scalingGroupId: seed.scalingGroupId,
        region: "cn-hangzhou",
        desiredConfiguration: { imageId: "m-bench-new" },
        minHealthyPercentage: healthy.min,
        maxHealthyPercentage: healthy.max,
        checkpoints: shape.checkpoints?.percentages,
        checkpointPauseMinutes: shape.checkpoints?.pauseMinutes,
        timeoutMinutes: TIMEOUT_MINUTES,
        onFailure: shape.onFailure,
        onTimeout: "leave",
        onConflict: "fail",
    });
    throwOnViolations("ess", shape, violations);
    return {
        api: spec.taskApi({ ess, region: "cn-hangzhou" }, inputs, undefined),
        policy: spec.policyOf?.(inputs) ?? (inputs as unknown as RefreshPolicy),
        record,
    };
}

/** The AWS realization: an Auto Scaling group in the engine, aws.InstanceRefresh's arguments. */
function awsSetup(
    shape: Shape,
    clock: VirtualClock,
    startLatencyMs: number,
    onSnapshot: (s: TaskSnapshot) => void,
): Setup {
    const engine = new AsgRefreshEngine({
        newRefreshId: () => "bench-0000-0000-0000-000000000001",
    });
    const scenario: AsgScenario = {
        pendingSeconds: 1,
        batchSeconds: shape.batchSeconds,
        failAtPercent: shape.failAtPercent,
        proceedSeconds: 0,
    };
    const seed: AsgGroupSeed = {
        autoScalingGroupName: "web",
        capacity: shape.capacity,
        launchTemplate: { launchTemplateName: "web", version: "1" },
    };
    if (shape.stall) {
        seed.lifecycleHooks = [
            {
                lifecycleHookName: "bootstrap",
                lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                heartbeatTimeout: 3600,
                defaultResult: "CONTINUE",
            },
        ];
        scenario.bootstrapSeconds = 0;
        const perInstance = new Array<number>(shape.stall.batch * shape.batchSize).fill(0);
        perInstance[(shape.stall.batch - 1) * shape.batchSize] = shape.stall.seconds;
        scenario.bootstrapSecondsPerInstance = perInstance;
    }
    engine.addLaunchTemplate(
        { launchTemplateId: "lt-0bench0000000001", launchTemplateName: "web", versions: 2 },
        clock.now(),
    );
    engine.addGroup(seed, clock.now());
    engine.setScenario(seed.autoScalingGroupName, scenario, clock.now());
    const { api: asg, record } = asgCloud(engine, clock, {
        startLatencyMs,
        onRefresh: (r) => onSnapshot(asgSnapshotOf(r)),
    });
    const spec = awsRefreshSpec(
        () => asg,
        () => undefined,
    );
    const healthy = healthyFor(shape);
    const preferences: Record<string, unknown> = {
        minHealthyPercentage: healthy.min,
        instanceWarmupSeconds: 0,
        skipMatching: false,
    };
    if (shape.checkpoints) {
        preferences.checkpointPercentages = shape.checkpoints.percentages;
        preferences.checkpointDelaySeconds = shape.checkpoints.pauseMinutes * 60;
    }
    const { inputs, violations } = spec.validate({
        autoScalingGroupName: seed.autoScalingGroupName,
        region: "us-east-1",
        desiredConfiguration: { launchTemplate: { launchTemplateName: "web", version: "2" } },
        preferences,
        timeoutMinutes: TIMEOUT_MINUTES,
        onFailure: shape.onFailure,
        onTimeout: "leave",
        onConflict: "fail",
    });
    throwOnViolations("aws", shape, violations);
    return {
        api: spec.taskApi({ asg, region: "us-east-1" }, inputs, undefined),
        policy: spec.policyOf?.(inputs) ?? (inputs as unknown as RefreshPolicy),
        record,
    };
}

/** Builds one profile on one cloud, on `clock`. */
export function setupProfile(
    cloud: CloudName,
    shape: Shape,
    clock: VirtualClock,
    startLatencyMs: number,
    onSnapshot: (s: TaskSnapshot) => void = () => undefined,
): Setup {
    return cloud === "ess"
        ? essSetup(shape, clock, startLatencyMs, onSnapshot)
        : awsSetup(shape, clock, startLatencyMs, onSnapshot);
}
