/** The ESS 2022-02-22 actions the simulator implements: params in, response body out. */
import {
    invalidParameter,
    invalidParamter,
    missingParameter,
    scalingGroupNotFound,
} from "./errors";
import { formatEssMinute } from "./format";
import {
    HEARTBEAT_TIMEOUT_DEFAULT_SECONDS,
    HEARTBEAT_TIMEOUT_MAX_SECONDS,
    HEARTBEAT_TIMEOUT_MIN_SECONDS,
    isLifecycleResult,
    isLifecycleStatus,
} from "./lifecycle";
import { indexedValues, optionalInt, type Params, requireParam } from "./params";
import type { RefreshEngine, SimGroup } from "./refreshEngine";
import { parseStartInstanceRefresh } from "./startParams";
import type { SimLifecycleAction, SimRefresh, SimScalingActivity } from "./types";

/** What an action handler works on. */
export interface ActionContext {
    engine: RefreshEngine;
    /** Simulator-clock now. */
    now: number;
}

/** An action: validated params to a response body (RequestId is added by the server). */
export type ActionHandler = (p: Params, ctx: ActionContext) => Record<string, unknown>;

/** The refresh task as DescribeInstanceRefreshes returns it (sandbox extras removed). */
export function toWireTask(r: SimRefresh): Record<string, unknown> {
    const { clientToken: _token, foreign: _foreign, ...wire } = r;
    return wire;
}

function encodeToken(offset: number): string {
    return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeToken(token: string): number {
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!m) {
        throw invalidParameter("NextToken", "It was not returned by a previous call.");
    }
    return Number(m[1]);
}

const startInstanceRefresh: ActionHandler = (p, { engine, now }) => {
    const { refresh } = engine.start(parseStartInstanceRefresh(p), now);
    return { InstanceRefreshTaskId: refresh.InstanceRefreshTaskId };
};

/**
 * How many ids one Describe call takes: InstanceRefreshTaskIds.N, ScalingGroupIds.N,
 * InstanceIds.N (DescribeScalingInstances) and ScalingActivityIds.N are each 1-20 on ESS's API
 * pages (DescribeInstanceRefreshes, DescribeScalingGroups, DescribeScalingInstances,
 * DescribeScalingActivities). LifecycleHookIds.N has no documented limit, and none is enforced.
 */
export const ESS_MAX_IDS = 20;

const describeInstanceRefreshes: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const groupId = p["ScalingGroupId"];
    const ids = indexedValues(p, "InstanceRefreshTaskIds", ESS_MAX_IDS);
    const maxResults = optionalInt(p, "MaxResults", 1, 50, 10);
    const offset = p["NextToken"] ? decodeToken(p["NextToken"]) : 0;
    engine.advance(now);
    if (groupId !== undefined && groupId !== "" && !engine.group(groupId, regionId)) {
        throw scalingGroupNotFound();
    }
    const all = engine
        .list(groupId === "" ? undefined : groupId)
        .filter((r) => r.RegionId === regionId)
        .filter((r) => ids.length === 0 || ids.includes(r.InstanceRefreshTaskId));
    const page = all.slice(offset, offset + maxResults);
    const body: Record<string, unknown> = {
        TotalCount: all.length,
        MaxResults: maxResults,
        InstanceRefreshTasks: page.map(toWireTask),
    };
    if (offset + maxResults < all.length) {
        body["NextToken"] = encodeToken(offset + maxResults);
    }
    return body;
};

type TaskOperation = "suspend" | "resume" | "cancel" | "rollback";

function taskAction(op: TaskOperation): ActionHandler {
    return (p, { engine, now }) => {
        const regionId = requireParam(p, "RegionId");
        const groupId = requireParam(p, "ScalingGroupId");
        const taskId = requireParam(p, "InstanceRefreshTaskId");
        engine[op](groupId, regionId, taskId, now);
        return {};
    };
}

/** A scaling group as DescribeScalingGroups returns it. */
export function wireGroup(g: SimGroup): Record<string, unknown> {
    const count = (state: string): number =>
        g.instanceStates.filter((s) => s.lifecycleState === state).length;
    const wire: Record<string, unknown> = {
        ScalingGroupId: g.scalingGroupId,
        ScalingGroupName: g.scalingGroupName,
        RegionId: g.regionId,
        LifecycleState: "Active",
        GroupType: "ECS",
        MultiAZPolicy: g.multiAZPolicy,
        ScalingPolicy: g.scalingPolicy,
        MinSize: 0,
        MaxSize: Math.max(1, g.capacity * 2),
        DesiredCapacity: g.capacity,
        TotalCapacity: g.capacity,
        TotalInstanceCount: g.capacity,
        ActiveCapacity: count("InService"),
        PendingCapacity: 0,
        RemovingCapacity: 0,
        StandbyCapacity: count("Standby"),
        ProtectedCapacity: count("Protected"),
        CreationTime: formatEssMinute(g.createdAt),
    };
    if (g.launchTemplateId !== undefined) {
        wire.LaunchTemplateId = g.launchTemplateId;
        wire.LaunchTemplateVersion = g.launchTemplateVersion;
    } else {
        wire.ActiveScalingConfigurationId = g.activeScalingConfigurationId;
    }
    return wire;
}

const describeScalingGroups: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const ids = indexedValues(p, "ScalingGroupIds", ESS_MAX_IDS);
    const name = p["ScalingGroupName"];
    const pageNumber = optionalInt(p, "PageNumber", 1, Number.MAX_SAFE_INTEGER, 1);
    const pageSize = optionalInt(p, "PageSize", 1, 50, 10);
    engine.advance(now);
    const all = engine
        .groups()
        .filter((g) => g.regionId === regionId)
        .filter((g) => ids.length === 0 || ids.includes(g.scalingGroupId))
        .filter((g) => name === undefined || name === "" || g.scalingGroupName === name);
    const start = (pageNumber - 1) * pageSize;
    return {
        TotalCount: all.length,
        PageNumber: pageNumber,
        PageSize: pageSize,
        ScalingGroups: all.slice(start, start + pageSize).map(wireGroup),
    };
};

const SCALING_INSTANCE_STATES = [
    "InService",
    "Pending",
    "Pending:Wait",
    "Protected",
    "Standby",
    "Stopped",
    "Removing",
    "Removing:Wait",
];

/**
 * DescribeScalingInstances: a group's instances, filtered by LifecycleState(s), CreationType(s),
 * InstanceIds and ScalingConfigurationId, in pages of PageSize (1-100, default 10).
 */
const describeScalingInstances: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const groupId = p["ScalingGroupId"];
    const pageNumber = optionalInt(p, "PageNumber", 1, Number.MAX_SAFE_INTEGER, 1);
    const pageSize = optionalInt(p, "PageSize", 1, 100, 10);
    const states = [
        ...indexedValues(p, "LifecycleStates"),
        ...(p["LifecycleState"] ? [p["LifecycleState"]] : []),
    ];
    for (const s of states) {
        if (!SCALING_INSTANCE_STATES.includes(s)) {
            throw invalidParameter(
                "LifecycleState",
                `Valid values: ${SCALING_INSTANCE_STATES.join(", ")}.`,
            );
        }
    }
    const creation = [
        ...indexedValues(p, "CreationTypes"),
        ...(p["CreationType"] ? [p["CreationType"]] : []),
    ];
    const ids = indexedValues(p, "InstanceIds", ESS_MAX_IDS);
    const configuration = p["ScalingConfigurationId"];
    const groups = engine
        .groups()
        .filter((g) => g.regionId === regionId)
        .filter((g) => groupId === undefined || g.scalingGroupId === groupId);
    if (groupId !== undefined && groups.length === 0) {
        throw scalingGroupNotFound();
    }
    const all = groups
        .flatMap((g) => engine.instances(g, now))
        .filter((i) => states.length === 0 || states.includes(i.LifecycleState))
        .filter((i) => creation.length === 0 || creation.includes(i.CreationType))
        .filter((i) => ids.length === 0 || ids.includes(i.InstanceId))
        .filter((i) => configuration === undefined || i.ScalingConfigurationId === configuration);
    const start = (pageNumber - 1) * pageSize;
    return {
        TotalCount: all.length,
        PageNumber: pageNumber,
        PageSize: pageSize,
        ScalingInstances: all.slice(start, start + pageSize),
    };
};

/** The scaling activity as DescribeScalingActivities returns it (sandbox extras removed). */
export function toWireActivity(a: SimScalingActivity): Record<string, unknown> {
    const { instanceRefreshTaskId: _task, startedAt: _at, ...wire } = a;
    return wire;
}

/** The lifecycle action as DescribeLifecycleActions returns it (sandbox extras removed). */
export function toWireAction(a: SimLifecycleAction): Record<string, unknown> {
    return {
        InstanceIds: a.InstanceIds,
        LifecycleActionResult: a.LifecycleActionResult,
        LifecycleActionStatus: a.LifecycleActionStatus,
        LifecycleActionToken: a.LifecycleActionToken,
        LifecycleHookId: a.LifecycleHookId,
    };
}

/**
 * PageNumber (>= 1, default 1) and PageSize (1-50, default 10; DescribeLifecycleHooks' page
 * gives 50 as its default), as ESS pages lists.
 */
function pageOf(
    p: Params,
    defaultSize = 10,
): { pageNumber: number; pageSize: number; start: number } {
    const pageNumber = optionalInt(p, "PageNumber", 1, Number.MAX_SAFE_INTEGER, 1);
    const pageSize = optionalInt(p, "PageSize", 1, 50, defaultSize);
    return { pageNumber, pageSize, start: (pageNumber - 1) * pageSize };
}

/** Throws 404 when a ScalingGroupId is given and names no group of the region. */
function checkGroup(engine: RefreshEngine, groupId: string | undefined, regionId: string): void {
    if (groupId !== undefined && groupId !== "" && !engine.group(groupId, regionId)) {
        throw scalingGroupNotFound();
    }
}

const describeLifecycleHooks: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const groupId = p["ScalingGroupId"];
    const ids = indexedValues(p, "LifecycleHookIds");
    const name = p["LifecycleHookName"];
    const { pageNumber, pageSize, start } = pageOf(p, 50);
    engine.advance(now);
    checkGroup(engine, groupId, regionId);
    const all = engine.lifecycleHooks({ scalingGroupId: groupId, regionId, ids, name });
    return {
        TotalCount: all.length,
        PageNumber: pageNumber,
        PageSize: pageSize,
        LifecycleHooks: all.slice(start, start + pageSize),
    };
};

const describeScalingActivities: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const groupId = p["ScalingGroupId"];
    const ids = indexedValues(p, "ScalingActivityIds", ESS_MAX_IDS);
    if ((groupId === undefined || groupId === "") && ids.length === 0) {
        // ESS wants one of ScalingGroupId and ScalingActivityIds.N.
        throw missingParameter("ScalingGroupId");
    }
    const statusCode = p["StatusCode"];
    const statuses = ["Successful", "Warning", "Failed", "InProgress", "Rejected"];
    if (statusCode !== undefined && statusCode !== "" && !statuses.includes(statusCode)) {
        throw invalidParameter("StatusCode", `Valid values: ${statuses.join(", ")}.`);
    }
    const { pageNumber, pageSize, start } = pageOf(p);
    engine.advance(now);
    checkGroup(engine, groupId, regionId);
    const all = engine.scalingActivities({
        scalingGroupId: groupId,
        regionId,
        scalingActivityIds: ids,
        instanceRefreshTaskId: p["InstanceRefreshTaskId"],
        statusCode,
    });
    return {
        TotalCount: all.length,
        PageNumber: pageNumber,
        PageSize: pageSize,
        ScalingActivities: all.slice(start, start + pageSize).map(toWireActivity),
    };
};

const describeLifecycleActions: ActionHandler = (p, { engine, now }) => {
    const activityId = requireParam(p, "ScalingActivityId");
    const status = p["LifecycleActionStatus"];
    if (status !== undefined && status !== "" && !isLifecycleStatus(status)) {
        throw invalidParameter(
            "LifecycleActionStatus",
            "Valid values: Pending, Timeout, Completed.",
        );
    }
    const maxResults = optionalInt(p, "MaxResults", 1, 50, 10);
    const offset = p["NextToken"] ? decodeToken(p["NextToken"]) : 0;
    engine.advance(now);
    const all = engine.lifecycleActions({
        scalingActivityId: activityId,
        regionId: p["RegionId"] || undefined,
        status: status || undefined,
    });
    const body: Record<string, unknown> = {
        TotalCount: all.length,
        MaxResults: maxResults,
        LifecycleActions: all.slice(offset, offset + maxResults).map(toWireAction),
    };
    if (offset + maxResults < all.length) {
        body["NextToken"] = encodeToken(offset + maxResults);
    }
    return body;
};

/** heartbeatTimeout: an integer 30-21600 (default 600); InvalidParamter (sic) otherwise. */
function heartbeatTimeoutOf(p: Params): number {
    const v = p["heartbeatTimeout"];
    if (v === undefined || v === "") {
        return HEARTBEAT_TIMEOUT_DEFAULT_SECONDS;
    }
    const range =
        `Valid values: ${HEARTBEAT_TIMEOUT_MIN_SECONDS} to ${HEARTBEAT_TIMEOUT_MAX_SECONDS} ` +
        "seconds.";
    if (!/^-?\d+$/.test(v.trim())) {
        throw invalidParamter("heartbeatTimeout", `It must be an integer. ${range}`);
    }
    const n = Number(v.trim());
    if (n < HEARTBEAT_TIMEOUT_MIN_SECONDS || n > HEARTBEAT_TIMEOUT_MAX_SECONDS) {
        throw invalidParamter("heartbeatTimeout", range);
    }
    return n;
}

const recordLifecycleActionHeartbeat: ActionHandler = (p, { engine, now }) => {
    const lifecycleHookId = requireParam(p, "lifecycleHookId");
    const lifecycleActionToken = requireParam(p, "lifecycleActionToken");
    const timeout = heartbeatTimeoutOf(p);
    engine.recordHeartbeat(
        { lifecycleHookId, lifecycleActionToken, regionId: p["RegionId"] || undefined },
        timeout,
        now,
    );
    return {};
};

const completeLifecycleAction: ActionHandler = (p, { engine, now }) => {
    const lifecycleHookId = requireParam(p, "LifecycleHookId");
    const lifecycleActionToken = requireParam(p, "LifecycleActionToken");
    const result = p["LifecycleActionResult"];
    if (result !== undefined && result !== "" && !isLifecycleResult(result)) {
        throw invalidParameter(
            "LifecycleActionResult",
            "Valid values: CONTINUE, ABANDON, ROLLBACK.",
        );
    }
    engine.completeLifecycleAction(
        { lifecycleHookId, lifecycleActionToken, regionId: p["RegionId"] || undefined },
        result || undefined,
        now,
    );
    return {};
};

/** Handlers by action name. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
    StartInstanceRefresh: startInstanceRefresh,
    DescribeInstanceRefreshes: describeInstanceRefreshes,
    CancelInstanceRefresh: taskAction("cancel"),
    SuspendInstanceRefresh: taskAction("suspend"),
    ResumeInstanceRefresh: taskAction("resume"),
    RollbackInstanceRefresh: taskAction("rollback"),
    DescribeScalingGroups: describeScalingGroups,
    DescribeScalingInstances: describeScalingInstances,
    DescribeLifecycleHooks: describeLifecycleHooks,
    DescribeScalingActivities: describeScalingActivities,
    DescribeLifecycleActions: describeLifecycleActions,
    RecordLifecycleActionHeartbeat: recordLifecycleActionHeartbeat,
    CompleteLifecycleAction: completeLifecycleAction,
};

/** The API version the simulator speaks. */
export const ESS_API_VERSION = "2022-02-22";
