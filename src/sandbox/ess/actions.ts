/** The ESS 2022-02-22 actions the simulator implements: params in, response body out. */
import { invalidParameter, scalingGroupNotFound } from "./errors";
import { formatEssMinute } from "./format";
import { indexedValues, optionalInt, type Params, requireParam } from "./params";
import type { RefreshEngine, SimGroup } from "./refreshEngine";
import { parseStartInstanceRefresh } from "./startParams";
import type { SimRefresh } from "./types";

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

const describeInstanceRefreshes: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const groupId = p["ScalingGroupId"];
    const ids = indexedValues(p, "InstanceRefreshTaskIds");
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
    return {
        ScalingGroupId: g.scalingGroupId,
        ScalingGroupName: g.scalingGroupName,
        RegionId: g.regionId,
        LifecycleState: "Active",
        GroupType: "ECS",
        MultiAZPolicy: "PRIORITY",
        MinSize: 0,
        MaxSize: Math.max(1, g.capacity * 2),
        DesiredCapacity: g.capacity,
        TotalCapacity: g.capacity,
        ActiveCapacity: g.capacity,
        PendingCapacity: 0,
        RemovingCapacity: 0,
        StandbyCapacity: 0,
        ProtectedCapacity: 0,
        ActiveScalingConfigurationId: g.activeScalingConfigurationId,
        CreationTime: formatEssMinute(g.createdAt),
    };
}

const describeScalingGroups: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const ids = indexedValues(p, "ScalingGroupIds");
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

/** Handlers by action name. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
    StartInstanceRefresh: startInstanceRefresh,
    DescribeInstanceRefreshes: describeInstanceRefreshes,
    CancelInstanceRefresh: taskAction("cancel"),
    SuspendInstanceRefresh: taskAction("suspend"),
    ResumeInstanceRefresh: taskAction("resume"),
    RollbackInstanceRefresh: taskAction("rollback"),
    DescribeScalingGroups: describeScalingGroups,
};

/** The API version the simulator speaks. */
export const ESS_API_VERSION = "2022-02-22";
