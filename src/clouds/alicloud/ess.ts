import { chunks, RpcClient, RpcClientOptions } from "./openapi";

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
    /** Left out, ESS replaces the instances not on the group's active configuration. */
    desiredConfiguration?: EssDesiredConfiguration;
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
    /** The scale-out policy: PRIORITY, COST_OPTIMIZED, BALANCE or COMPOSABLE. */
    multiAZPolicy?: string;
    /** The instance reclaim mode: release, forcerelease, recycle or forcerecycle. */
    scalingPolicy?: string;
    standbyCapacity?: number;
    protectedCapacity?: number;
}

/** Results of a lifecycle action: what happens to the instances when it ends. */
export type EssLifecycleActionResult = "CONTINUE" | "ABANDON" | "ROLLBACK";

/** Statuses of a lifecycle action. */
export type EssLifecycleActionStatus = "Pending" | "Timeout" | "Completed";

/** A lifecycle hook, as DescribeLifecycleHooks reports it. */
export interface EssLifecycleHook {
    lifecycleHookId: string;
    lifecycleHookName?: string;
    scalingGroupId?: string;
    /** "SCALE_OUT" or "SCALE_IN" (or a value this library does not know yet). */
    lifecycleTransition?: string;
    /** One of {@link EssLifecycleActionResult}: what the window's expiry does. */
    defaultResult?: string;
    /** The Pending window, in seconds (30 to 21600). */
    heartbeatTimeoutSeconds?: number;
    /** "Active" or "InActive". */
    lifecycleHookStatus?: string;
    notificationArn?: string;
    notificationMetadata?: string;
}

/** A scaling activity, as DescribeScalingActivities reports it (the fields this library uses). */
export interface EssScalingActivity {
    scalingActivityId: string;
    scalingGroupId?: string;
    /** "Successful", "Warning", "Failed", "InProgress" or "Rejected". */
    statusCode: string;
    statusMessage?: string;
    description?: string;
    cause?: string;
    /** 0 to 100. */
    progress?: number;
    startTime?: string;
    endTime?: string;
    totalCapacity?: number;
    /** The instances the activity created (a scale-out). */
    createdInstanceIds: string[];
    /** The instances the activity released. */
    destroyedInstanceIds: string[];
    errorCode?: string;
    errorMessage?: string;
}

/** A lifecycle action, as DescribeLifecycleActions reports it. */
export interface EssLifecycleAction {
    lifecycleHookId: string;
    lifecycleActionToken: string;
    /** One of {@link EssLifecycleActionStatus}, or a status this library does not know yet. */
    lifecycleActionStatus: string;
    /** One of {@link EssLifecycleActionResult}. */
    lifecycleActionResult?: string;
    instanceIds: string[];
}

/**
 * The ESS lifecycle operations this library uses, in plain types. Kept apart from {@link EssApi}
 * so existing fakes of EssApi stay complete; {@link createEssClient} implements both.
 */
export interface EssLifecycleApi {
    /** The group's lifecycle hooks (all pages), optionally only these ids / this name. */
    describeLifecycleHooks(
        scalingGroupId: string,
        filter?: { ids?: string[]; name?: string },
    ): Promise<EssLifecycleHook[]>;
    /** The group's scaling activities (all pages, newest first), optionally of one refresh. */
    describeScalingActivities(req: {
        scalingGroupId: string;
        instanceRefreshTaskId?: string;
    }): Promise<EssScalingActivity[]>;
    /** The lifecycle actions of a scaling activity (all pages), optionally in one status. */
    describeLifecycleActions(
        scalingActivityId: string,
        status?: EssLifecycleActionStatus,
    ): Promise<EssLifecycleAction[]>;
    /**
     * Extends a Pending lifecycle action: its window now ends `heartbeatTimeoutSeconds` (30 to
     * 21600) from now. At most 20 per Pending period, at most 6 hours of Pending. Refusals
     * (LifecycleAction.*, LifecycleHookIdAndLifecycleActionToken.Invalid, InvalidParamter) are
     * never retried; throttling, 5xx and network failures are.
     */
    recordLifecycleActionHeartbeat(
        lifecycleHookId: string,
        lifecycleActionToken: string,
        heartbeatTimeoutSeconds: number,
    ): Promise<void>;
}

/** The client {@link createEssClient} returns: refresh and lifecycle operations. */
export type EssClient = EssApi & EssLifecycleApi;

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
    /** A group's instances, all pages (read-only). */
    describeScalingInstances(req: {
        scalingGroupId: string;
        lifecycleStates?: string[];
        creationTypes?: string[];
    }): Promise<EssScalingInstance[]>;
}

/** An instance of a scaling group, as DescribeScalingInstances reports it. */
export interface EssScalingInstance {
    instanceId: string;
    /** InService, Pending, Pending:Wait, Protected, Standby, Stopped, Removing, Removing:Wait. */
    lifecycleState?: string;
    /** AutoCreated or Attached (added by hand). */
    creationType?: string;
    healthStatus?: string;
    /** What it was created from (ESS reports no image per instance). */
    scalingConfigurationId?: string;
    launchTemplateId?: string;
    launchTemplateVersion?: string;
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
const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

/** Largest page ESS serves (PageSize / MaxResults). */
const ESS_MAX_PAGE = 50;
/**
 * Most ids one ESS Describe call takes (InstanceRefreshTaskIds.N, ScalingGroupIds.N: 1-20 on
 * DescribeInstanceRefreshes' and DescribeScalingGroups' pages).
 */
export const ESS_MAX_IDS = 20;
/** Pages read at most per list call (50 x 200 = 10,000 items), against a paging loop. */
const ESS_MAX_PAGES = 200;

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
/** StartInstanceRefresh's request parameters on the wire (before flattening). */
export function startInstanceRefreshParams(
    req: StartInstanceRefreshRequest,
): Record<string, unknown> {
    return {
        ScalingGroupId: req.scalingGroupId,
        ClientToken: req.clientToken,
        MinHealthyPercentage: req.minHealthyPercentage,
        MaxHealthyPercentage: req.maxHealthyPercentage,
        DesiredConfiguration: req.desiredConfiguration
            ? desiredConfigurationToWire(req.desiredConfiguration)
            : undefined,
        SkipMatching: req.skipMatching,
        Checkpoints: req.checkpoints?.map((p) => ({ Percentage: p })),
        CheckpointPauseTime: req.checkpointPauseTime,
    };
}

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

/** A DescribeLifecycleHooks hook, from the wire. */
export function lifecycleHookFromWire(h: Wire): EssLifecycleHook {
    return {
        lifecycleHookId: text(h.LifecycleHookId),
        lifecycleHookName: str(h.LifecycleHookName),
        scalingGroupId: str(h.ScalingGroupId),
        lifecycleTransition: str(h.LifecycleTransition),
        defaultResult: str(h.DefaultResult),
        heartbeatTimeoutSeconds: num(h.HeartbeatTimeout),
        lifecycleHookStatus: str(h.LifecycleHookStatus),
        notificationArn: str(h.NotificationArn),
        notificationMetadata: str(h.NotificationMetadata),
    };
}

/** A DescribeScalingActivities activity, from the wire. */
export function scalingActivityFromWire(a: Wire): EssScalingActivity {
    return {
        scalingActivityId: text(a.ScalingActivityId),
        scalingGroupId: str(a.ScalingGroupId),
        statusCode: text(a.StatusCode),
        statusMessage: str(a.StatusMessage),
        description: str(a.Description),
        cause: str(a.Cause),
        progress: num(a.Progress),
        startTime: str(a.StartTime),
        endTime: str(a.EndTime),
        totalCapacity: num(a.TotalCapacity),
        createdInstanceIds: strings(a.CreatedInstances),
        destroyedInstanceIds: strings(a.DestroyedInstances),
        errorCode: str(a.ErrorCode),
        errorMessage: str(a.ErrorMessage),
    };
}

/** A DescribeLifecycleActions action, from the wire. */
export function lifecycleActionFromWire(a: Wire): EssLifecycleAction {
    return {
        lifecycleHookId: text(a.LifecycleHookId),
        lifecycleActionToken: text(a.LifecycleActionToken),
        lifecycleActionStatus: text(a.LifecycleActionStatus),
        lifecycleActionResult: str(a.LifecycleActionResult),
        instanceIds: strings(a.InstanceIds),
    };
}

/** An EssClient over HTTP: openapi-core's signed RPC calls, version 2022-02-22. */
export function createEssClient(opts: Omit<RpcClientOptions, "service" | "version">): EssClient {
    const rpc = new RpcClient({ ...opts, service: "ESS", version: ESS_API_VERSION });
    const taskCall = async (action: string, ref: RefreshTaskRef): Promise<void> => {
        await rpc.call(action, {
            ScalingGroupId: ref.scalingGroupId,
            InstanceRefreshTaskId: ref.instanceRefreshTaskId,
        });
    };
    /** Every item of a PageNumber/PageSize-paged list. */
    const allPages = async (
        action: string,
        params: Record<string, unknown>,
        key: string,
    ): Promise<Wire[]> => {
        const out: Wire[] = [];
        for (let page = 1; page <= ESS_MAX_PAGES; page++) {
            const body = await rpc.call<Wire>(action, {
                ...params,
                PageNumber: page,
                PageSize: ESS_MAX_PAGE,
            });
            const items = list(body[key]);
            out.push(...items);
            const total = num(body.TotalCount);
            if (items.length < ESS_MAX_PAGE || (total !== undefined && out.length >= total)) {
                break;
            }
        }
        return out;
    };
    return {
        async startInstanceRefresh(req) {
            const body = await rpc.call<Wire>(
                "StartInstanceRefresh",
                startInstanceRefreshParams(req),
            );
            const id = str(body.InstanceRefreshTaskId);
            if (!id) {
                throw new Error(
                    "ESS StartInstanceRefresh answered without an InstanceRefreshTaskId",
                );
            }
            return id;
        },
        async describeInstanceRefreshes(req) {
            // Paged by NextToken, so not split here: a caller asking about more ids is wrong.
            if ((req.instanceRefreshTaskIds?.length ?? 0) > ESS_MAX_IDS) {
                throw new RangeError(
                    `DescribeInstanceRefreshes takes up to ${ESS_MAX_IDS} task ids per call, ` +
                        `got ${req.instanceRefreshTaskIds?.length}`,
                );
            }
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
            const groups: Wire[] = [];
            // No ids asks for every group of the region, in one call.
            const asked = req.scalingGroupIds;
            for (const ids of asked.length > 0 ? chunks(asked, ESS_MAX_IDS) : [[]]) {
                const body = await rpc.call<Wire>("DescribeScalingGroups", {
                    ScalingGroupIds: ids,
                    PageSize: ESS_MAX_PAGE,
                });
                groups.push(...list(body.ScalingGroups));
            }
            return groups.map((g) => ({
                scalingGroupId: text(g.ScalingGroupId),
                scalingGroupName: str(g.ScalingGroupName),
                regionId: str(g.RegionId),
                lifecycleState: str(g.LifecycleState),
                totalCapacity: num(g.TotalCapacity),
                activeScalingConfigurationId: str(g.ActiveScalingConfigurationId),
                launchTemplateId: str(g.LaunchTemplateId),
                launchTemplateVersion: str(g.LaunchTemplateVersion),
                multiAZPolicy: str(g.MultiAZPolicy),
                scalingPolicy: str(g.ScalingPolicy),
                standbyCapacity: num(g.StandbyCapacity),
                protectedCapacity: num(g.ProtectedCapacity),
            }));
        },
        async describeScalingInstances(req) {
            const items = await allPages(
                "DescribeScalingInstances",
                {
                    ScalingGroupId: req.scalingGroupId,
                    LifecycleStates: req.lifecycleStates?.length ? req.lifecycleStates : undefined,
                    CreationTypes: req.creationTypes?.length ? req.creationTypes : undefined,
                },
                "ScalingInstances",
            );
            return items.map((i) => ({
                instanceId: text(i.InstanceId),
                lifecycleState: str(i.LifecycleState),
                creationType: str(i.CreationType),
                healthStatus: str(i.HealthStatus),
                scalingConfigurationId: str(i.ScalingConfigurationId),
                launchTemplateId: str(i.LaunchTemplateId),
                launchTemplateVersion: str(i.LaunchTemplateVersion),
            }));
        },
        async describeLifecycleHooks(scalingGroupId, filter = {}) {
            const hooks = await allPages(
                "DescribeLifecycleHooks",
                {
                    ScalingGroupId: scalingGroupId,
                    LifecycleHookIds: filter.ids?.length ? filter.ids : undefined,
                    LifecycleHookName: filter.name,
                },
                "LifecycleHooks",
            );
            return hooks.map(lifecycleHookFromWire);
        },
        async describeScalingActivities(req) {
            const activities = await allPages(
                "DescribeScalingActivities",
                {
                    ScalingGroupId: req.scalingGroupId,
                    InstanceRefreshTaskId: req.instanceRefreshTaskId,
                },
                "ScalingActivities",
            );
            return activities.map(scalingActivityFromWire);
        },
        async describeLifecycleActions(scalingActivityId, status) {
            const out: EssLifecycleAction[] = [];
            let nextToken: string | undefined;
            for (let page = 0; page < ESS_MAX_PAGES; page++) {
                const body = await rpc.call<Wire>("DescribeLifecycleActions", {
                    ScalingActivityId: scalingActivityId,
                    LifecycleActionStatus: status,
                    MaxResults: ESS_MAX_PAGE,
                    NextToken: nextToken,
                });
                out.push(...list(body.LifecycleActions).map(lifecycleActionFromWire));
                nextToken = str(body.NextToken);
                if (!nextToken) {
                    break;
                }
            }
            return out;
        },
        async recordLifecycleActionHeartbeat(lifecycleHookId, lifecycleActionToken, seconds) {
            // The vendor's wire names are lower camel case for this action (seed 004).
            await rpc.call("RecordLifecycleActionHeartbeat", {
                lifecycleHookId,
                lifecycleActionToken,
                heartbeatTimeout: seconds,
            });
        },
    };
}
