/** The ECS 2014-05-26 actions the simulator implements: params in, response body out. */
import { DEFAULT_HISTORY_STATUSES } from "./catalog";
import type { EcsEngine } from "./engine";
import { eventIdLimitExceeded, invalidParameter, taskNotFound } from "./errors";
import {
    jsonIds,
    optionalBool,
    optionalParam,
    optionalTime,
    paginate,
    type Params,
    repeated,
    requireParam,
} from "./params";
import { wireDisk, wireEvent, wireInstance, wireTask, wireTaskAttribute } from "./wire";

/** The API version the simulator speaks. */
export const ECS_API_VERSION = "2014-05-26";

/** What an action handler works on. */
export interface ActionContext {
    engine: EcsEngine;
    /** Simulator-clock now. */
    now: number;
}

/** An action: validated params to a response body (RequestId is added by the server). */
export type ActionHandler = (p: Params, ctx: ActionContext) => Record<string, unknown>;

/** Paging fields of a response (NextToken only when there is a next page). */
function pageFields(page: {
    pageNumber: number;
    pageSize: number;
    nextToken?: string;
}): Record<string, unknown> {
    const out: Record<string, unknown> = { PageNumber: page.pageNumber, PageSize: page.pageSize };
    if (page.nextToken !== undefined) {
        out["NextToken"] = page.nextToken;
    }
    return out;
}

const describeInstances: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const ids = jsonIds(p, "InstanceIds");
    const status = optionalParam(p, "Status");
    engine.advance(now);
    const all = engine
        .instances()
        .filter((i) => i.regionId === regionId)
        .filter((i) => ids === undefined || ids.includes(i.id))
        .filter((i) => status === undefined || i.status === status);
    const page = paginate(p, all, 100);
    return {
        TotalCount: all.length,
        ...pageFields(page),
        Instances: { Instance: page.page.map(wireInstance) },
    };
};

const describeDisks: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const instanceId = optionalParam(p, "InstanceId");
    const ids = jsonIds(p, "DiskIds");
    const category = optionalParam(p, "Category") ?? "all";
    const diskType = optionalParam(p, "DiskType") ?? "all";
    engine.advance(now);
    const all = engine
        .instances()
        .filter((i) => i.regionId === regionId)
        .filter((i) => instanceId === undefined || i.id === instanceId)
        .flatMap((i) => [i.systemDisk, ...i.localDisks].map((d) => ({ i, d })))
        .filter(({ d }) => ids === undefined || ids.includes(d.diskId))
        .filter(({ d }) => category === "all" || d.category === category)
        .filter(({ d }) => diskType === "all" || d.type === diskType);
    const page = paginate(p, all, 100);
    return {
        TotalCount: all.length,
        ...pageFields(page),
        Disks: { Disk: page.page.map(({ i, d }) => wireDisk(i, d)) },
    };
};

/** `Name.N` values, or the single `Fallback` value, or undefined when neither is given. */
function listOrSingle(p: Params, name: string, fallback: string): string[] | undefined {
    const many = repeated(p, name);
    if (many.length > 0) {
        return many;
    }
    const one = optionalParam(p, fallback);
    return one === undefined ? undefined : [one];
}

function inRange(ms: number | undefined, start?: number, end?: number): boolean {
    if (start === undefined && end === undefined) {
        return true;
    }
    return (
        ms !== undefined && (start === undefined || ms >= start) && (end === undefined || ms <= end)
    );
}

const describeInstanceHistoryEvents: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const resourceIds = repeated(p, "ResourceId");
    const instanceId = optionalParam(p, "InstanceId");
    const eventIds = repeated(p, "EventId", 100, eventIdLimitExceeded);
    const types = listOrSingle(p, "InstanceEventType", "EventType");
    const statuses =
        listOrSingle(p, "InstanceEventCycleStatus", "EventCycleStatus") ?? DEFAULT_HISTORY_STATUSES;
    const resourceType = optionalParam(p, "ResourceType") ?? "instance";
    const notBefore = [optionalTime(p, "NotBefore.Start"), optionalTime(p, "NotBefore.End")];
    const published = [
        optionalTime(p, "EventPublishTime.Start"),
        optionalTime(p, "EventPublishTime.End"),
    ];
    engine.advance(now);
    const targets = resourceIds.length > 0 ? resourceIds : instanceId ? [instanceId] : undefined;
    // Only instance events are simulated (ResourceType ddh / managedhost: none).
    const all = (resourceType === "instance" ? engine.events() : [])
        .filter((e) => e.instance.regionId === regionId)
        .filter((e) => targets === undefined || targets.includes(e.instance.id))
        .filter((e) => eventIds.length === 0 || eventIds.includes(e.id))
        .filter((e) => types === undefined || types.includes(e.type))
        .filter((e) => statuses.includes(e.status))
        .filter((e) => inRange(e.notBefore, notBefore[0], notBefore[1]))
        .filter((e) => inRange(e.publishedAt, published[0], published[1]));
    const page = paginate(p, all, 100);
    return {
        TotalCount: all.length,
        ...pageFields(page),
        InstanceSystemEventSet: { InstanceSystemEventType: page.page.map(wireEvent) },
    };
};

const redeployInstance: ActionHandler = (p, { engine, now }) => {
    const instanceId = requireParam(p, "InstanceId");
    const forceStop = optionalBool(p, "ForceStop", false);
    const task = engine.redeploy(instanceId, forceStop, now);
    return { TaskId: task.id };
};

const TASK_STATUSES = ["Finished", "Processing", "Failed"];

const describeTasks: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const taskIds = optionalParam(p, "TaskIds")
        ?.split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
    // DescribeTasks' page: TaskIds takes up to 100 ids, comma-separated (ResourceIds.N 1-100).
    if (taskIds !== undefined && taskIds.length > 100) {
        throw invalidParameter("TaskIds", "It can contain up to 100 items.");
    }
    const action = optionalParam(p, "TaskAction");
    const rawStatus = optionalParam(p, "TaskStatus");
    const status =
        rawStatus !== undefined && TASK_STATUSES.includes(rawStatus) ? rawStatus : undefined;
    const resourceIds = repeated(p, "ResourceIds");
    const start = optionalTime(p, "StartTime");
    const end = optionalTime(p, "EndTime");
    engine.advance(now);
    // Only RedeployInstance tasks exist here: another TaskAction matches none.
    const all = (action === undefined || action === "RedeployInstance" ? engine.tasks() : [])
        .filter((t) => t.instance.regionId === regionId)
        .filter((t) => taskIds === undefined || taskIds.includes(t.id))
        .filter((t) => status === undefined || t.status === status)
        .filter((t) => resourceIds.length === 0 || resourceIds.includes(t.instance.id))
        .filter((t) => inRange(t.createdAt, start, end));
    const page = paginate(p, all, 100);
    return {
        TotalCount: all.length,
        PageNumber: page.pageNumber,
        PageSize: page.pageSize,
        RegionId: regionId,
        TaskSet: { Task: page.page.map(wireTask) },
    };
};

const describeTaskAttribute: ActionHandler = (p, { engine, now }) => {
    const regionId = requireParam(p, "RegionId");
    const taskId = requireParam(p, "TaskId");
    engine.advance(now);
    const task = engine.tasks().find((t) => t.id === taskId && t.instance.regionId === regionId);
    if (!task) {
        throw taskNotFound();
    }
    return wireTaskAttribute(engine, task, now);
};

/** Handlers by action name. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
    DescribeInstances: describeInstances,
    DescribeDisks: describeDisks,
    DescribeInstanceHistoryEvents: describeInstanceHistoryEvents,
    RedeployInstance: redeployInstance,
    DescribeTasks: describeTasks,
    DescribeTaskAttribute: describeTaskAttribute,
};
