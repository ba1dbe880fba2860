import { RpcClient, RpcClientOptions } from "./openapi";

/** ESS API version this client speaks. */
export const ESS_API_VERSION = "2022-02-22";

/** A container of an Elastic Container Instance scaling group's desired configuration. */
export interface EssContainer {
    name?: string;
    image?: string;
    commands?: string[];
    args?: string[];
    environmentVars?: { key: string; value?: string; fieldRefFieldPath?: string }[];
}

/** What an instance refresh moves the group to (exactly one source). */
export interface EssDesiredConfiguration {
    imageId?: string;
    scalingConfigurationId?: string;
    launchTemplateId?: string;
    launchTemplateVersion?: string;
    launchTemplateOverrides?: { instanceType: string }[];
    containers?: EssContainer[];
}

/** StartInstanceRefresh's request. */
export interface StartInstanceRefreshRequest {
    scalingGroupId: string;
    clientToken?: string;
    minHealthyPercentage?: number;
    maxHealthyPercentage?: number;
    desiredConfiguration: EssDesiredConfiguration;
    skipMatching?: boolean;
    /** Ascending percentages, the last 100. */
    checkpoints?: number[];
    /** Minutes, 1 to 2880. */
    checkpointPauseTime?: number;
}

/** Statuses of an instance refresh task. */
export type EssRefreshStatus =
    | "Pending"
    | "InProgress"
    | "Paused"
    | "CheckpointPause"
    | "Failed"
    | "Successful"
    | "Cancelling"
    | "Cancelled"
    | "RollbackInProgress"
    | "RollbackSuccessful"
    | "RollbackFailed";

/** One instance refresh task, as DescribeInstanceRefreshes reports it. */
export interface EssRefreshTask {
    instanceRefreshTaskId: string;
    scalingGroupId: string;
    /** One of {@link EssRefreshStatus}, or a status this library does not know yet. */
    status: string;
    detail?: string;
    startTime?: string;
    endTime?: string;
    totalNeedUpdateCapacity?: number;
    finishedUpdateCapacity?: number;
    minHealthyPercentage?: number;
    maxHealthyPercentage?: number;
    skipMatching?: boolean;
    checkpointPauseTime?: number;
    checkpoints?: number[];
    desiredConfiguration?: EssDesiredConfiguration;
}

/** A scaling group, as DescribeScalingGroups reports it (the fields this library uses). */
export interface EssScalingGroup {
    scalingGroupId: string;
    scalingGroupName?: string;
    regionId?: string;
    lifecycleState?: string;
    totalCapacity?: number;
    activeScalingConfigurationId?: string;
    launchTemplateId?: string;
    launchTemplateVersion?: string;
}

/** The task id argument of Cancel/Suspend/Resume/RollbackInstanceRefresh. */
export interface RefreshTaskRef {
    scalingGroupId: string;
    instanceRefreshTaskId: string;
}

/** The ESS operations this library uses, in plain types. */
export interface EssApi {
    startInstanceRefresh(req: StartInstanceRefreshRequest): Promise<string>;
    describeInstanceRefreshes(req: {
        scalingGroupId: string;
        instanceRefreshTaskIds?: string[];
        maxResults?: number;
        nextToken?: string;
    }): Promise<{ tasks: EssRefreshTask[]; nextToken?: string }>;
    cancelInstanceRefresh(ref: RefreshTaskRef): Promise<void>;
    suspendInstanceRefresh(ref: RefreshTaskRef): Promise<void>;
    resumeInstanceRefresh(ref: RefreshTaskRef): Promise<void>;
    rollbackInstanceRefresh(ref: RefreshTaskRef): Promise<void>;
    describeScalingGroups(req: { scalingGroupIds: string[] }): Promise<EssScalingGroup[]>;
}

/** The wire form of a desired configuration (capitalized names; openapi-core flattens it). */
export function desiredConfigurationToWire(c: EssDesiredConfiguration): Record<string, unknown> {
    return {
        ImageId: c.imageId,
        ScalingConfigurationId: c.scalingConfigurationId,
        LaunchTemplateId: c.launchTemplateId,
        LaunchTemplateVersion: c.launchTemplateVersion,
        LaunchTemplateOverrides: c.launchTemplateOverrides?.map((o) => ({
            InstanceType: o.instanceType,
        })),
        Containers: c.containers?.map((k) => ({
            Name: k.name,
            Image: k.image,
            Commands: k.commands,
            Args: k.args,
            EnvironmentVars: k.environmentVars?.map((e) => ({
                Key: e.key,
                Value: e.value,
                FieldRefFieldPath: e.fieldRefFieldPath,
            })),
        })),
    };
}

type Wire = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const text = (v: unknown): string =>
    typeof v === "string" || typeof v === "number" ? String(v) : "";
const num = (v: unknown): number | undefined =>
    typeof v === "number"
        ? v
        : typeof v === "string" && v !== "" && !isNaN(Number(v))
          ? Number(v)
          : undefined;
const bool = (v: unknown): boolean | undefined =>
    typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined;
const list = (v: unknown): Wire[] => (Array.isArray(v) ? (v as Wire[]) : []);

function desiredConfigurationFromWire(w: unknown): EssDesiredConfiguration | undefined {
    if (!w || typeof w !== "object") {
        return undefined;
    }
    const d = w as Wire;
    const out: EssDesiredConfiguration = {
        imageId: str(d.ImageId),
        scalingConfigurationId: str(d.ScalingConfigurationId),
        launchTemplateId: str(d.LaunchTemplateId),
        launchTemplateVersion: str(d.LaunchTemplateVersion),
    };
    const overrides = list(d.LaunchTemplateOverrides).map((o) => ({
        instanceType: text(o.InstanceType),
    }));
    if (overrides.length) {
        out.launchTemplateOverrides = overrides;
    }
    const containers = list(d.Containers).map((k) => ({
        name: str(k.Name),
        image: str(k.Image),
        commands: Array.isArray(k.Commands) ? k.Commands.map(String) : undefined,
        args: Array.isArray(k.Args) ? k.Args.map(String) : undefined,
    }));
    if (containers.length) {
        out.containers = containers;
    }
    return out;
}

/** A DescribeInstanceRefreshes task, from the wire. */
export function refreshTaskFromWire(t: Wire): EssRefreshTask {
    return {
        instanceRefreshTaskId: text(t.InstanceRefreshTaskId),
        scalingGroupId: text(t.ScalingGroupId),
        status: text(t.Status),
        detail: str(t.Detail),
        startTime: str(t.StartTime),
        endTime: str(t.EndTime),
        totalNeedUpdateCapacity: num(t.TotalNeedUpdateCapacity),
        finishedUpdateCapacity: num(t.FinishedUpdateCapacity),
        minHealthyPercentage: num(t.MinHealthyPercentage),
        maxHealthyPercentage: num(t.MaxHealthyPercentage),
        skipMatching: bool(t.SkipMatching),
        checkpointPauseTime: num(t.CheckpointPauseTime),
        checkpoints: list(t.Checkpoints)
            .map((c) => num(c.Percentage))
            .filter((p): p is number => p !== undefined),
        desiredConfiguration: desiredConfigurationFromWire(t.DesiredConfiguration),
    };
}

/** An EssApi over HTTP: openapi-core's signed RPC calls, version 2022-02-22. */
export function createEssClient(opts: Omit<RpcClientOptions, "service" | "version">): EssApi {
    const rpc = new RpcClient({ ...opts, service: "ESS", version: ESS_API_VERSION });
    const taskCall = async (action: string, ref: RefreshTaskRef): Promise<void> => {
        await rpc.call(action, {
            ScalingGroupId: ref.scalingGroupId,
            InstanceRefreshTaskId: ref.instanceRefreshTaskId,
        });
    };
    return {
        async startInstanceRefresh(req) {
            const body = await rpc.call<Wire>("StartInstanceRefresh", {
                ScalingGroupId: req.scalingGroupId,
                ClientToken: req.clientToken,
                MinHealthyPercentage: req.minHealthyPercentage,
                MaxHealthyPercentage: req.maxHealthyPercentage,
                DesiredConfiguration: desiredConfigurationToWire(req.desiredConfiguration),
                SkipMatching: req.skipMatching,
                Checkpoints: req.checkpoints?.map((p) => ({ Percentage: p })),
                CheckpointPauseTime: req.checkpointPauseTime,
            });
            const id = str(body.InstanceRefreshTaskId);
            if (!id) {
                throw new Error(
                    "ESS StartInstanceRefresh answered without an InstanceRefreshTaskId",
                );
            }
            return id;
        },
        async describeInstanceRefreshes(req) {
            const body = await rpc.call<Wire>("DescribeInstanceRefreshes", {
                ScalingGroupId: req.scalingGroupId,
                InstanceRefreshTaskIds: req.instanceRefreshTaskIds,
                MaxResults: req.maxResults,
                NextToken: req.nextToken,
            });
            return {
                tasks: list(body.InstanceRefreshTasks).map(refreshTaskFromWire),
                nextToken: str(body.NextToken),
            };
        },
        cancelInstanceRefresh: (ref) => taskCall("CancelInstanceRefresh", ref),
        suspendInstanceRefresh: (ref) => taskCall("SuspendInstanceRefresh", ref),
        resumeInstanceRefresh: (ref) => taskCall("ResumeInstanceRefresh", ref),
        rollbackInstanceRefresh: (ref) => taskCall("RollbackInstanceRefresh", ref),
        async describeScalingGroups(req) {
            const body = await rpc.call<Wire>("DescribeScalingGroups", {
                ScalingGroupIds: req.scalingGroupIds,
            });
            return list(body.ScalingGroups).map((g) => ({
                scalingGroupId: text(g.ScalingGroupId),
                scalingGroupName: str(g.ScalingGroupName),
                regionId: str(g.RegionId),
                lifecycleState: str(g.LifecycleState),
                totalCapacity: num(g.TotalCapacity),
                activeScalingConfigurationId: str(g.ActiveScalingConfigurationId),
                launchTemplateId: str(g.LaunchTemplateId),
                launchTemplateVersion: str(g.LaunchTemplateVersion),
            }));
        },
    };
}
