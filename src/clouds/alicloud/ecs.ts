/**
 * The ECS calls alicloud.InstanceRedeploy makes, over the generated SDK `@alicloud/ecs20140526`
 * (itself over openapi-core): one small interface, so that the provider and its tests never see
 * the SDK's models.
 */
import EcsClient, * as $Ecs from "@alicloud/ecs20140526";
import { AlicloudClientOptions, callAlicloud, chunks, openApiConfig } from "./openapi";

/** ECS's API version. */
export const ECS_API_VERSION = "2014-05-26";

/** One instance, as DescribeInstances (and DescribeDisks) report it. */
export interface EcsInstance {
    instanceId: string;
    /** Pending, Starting, Running, Stopping, Stopped. */
    status: string;
    instanceType?: string;
    /** The dedicated host it runs on, if any. */
    dedicatedHostId?: string;
    /** Reasons it is locked (OperationLocks), e.g. "security". */
    lockReasons: string[];
}

/** One disk attached to an instance. */
export interface EcsDisk {
    diskId: string;
    /** e.g. cloud_essd, local_ssd_pro, ephemeral_ssd. */
    category: string;
    /** system or data. */
    type?: string;
}

/** A system event of an instance, as DescribeInstanceHistoryEvents reports it. */
export interface EcsSystemEvent {
    eventId: string;
    instanceId: string;
    /** e.g. SystemMaintenance.Reboot. */
    eventType: string;
    /** EventCycleStatus: Scheduled, Inquiring, Executing, Executed, Avoided, Canceled, Failed. */
    status: string;
    /** When the cloud will act itself (maintenance events only). */
    notBefore?: string;
    publishTime?: string;
}

/** One asynchronous ECS task, as DescribeTasks reports it. */
export interface EcsTask {
    taskId: string;
    taskAction?: string;
    /** Processing, Finished, Failed. */
    status: string;
    /** The instance it acts on. */
    resourceId?: string;
    creationTime?: string;
    finishedTime?: string;
}

/** Why a task failed, from DescribeTaskAttribute. */
export interface EcsTaskFailure {
    code?: string;
    message?: string;
}

/** The ECS operations alicloud.InstanceRedeploy uses. */
export interface EcsApi {
    /** DescribeInstances for these ids (any number; paged by 100). Unknown ids are left out. */
    describeInstances(instanceIds: readonly string[]): Promise<EcsInstance[]>;
    /** DescribeDisks of one instance. */
    describeDisks(instanceId: string): Promise<EcsDisk[]>;
    /** DescribeInstanceHistoryEvents: the events of these instances still in one of `statuses`. */
    describeSystemEvents(
        instanceIds: readonly string[],
        statuses: readonly string[],
    ): Promise<EcsSystemEvent[]>;
    /** RedeployInstance (one attempt, never retried: the caller looks for the task); returns the task id. */
    redeployInstance(instanceId: string, forceStop: boolean): Promise<string>;
    /** DescribeTasks by id (RedeployInstance tasks; paged by 100). */
    describeTasks(taskIds: readonly string[]): Promise<EcsTask[]>;
    /** DescribeTasks: the RedeployInstance tasks of these instances, whatever their status. */
    describeRedeployTasks(instanceIds: readonly string[]): Promise<EcsTask[]>;
    /** DescribeTaskAttribute: why a task failed (its first failed operation's code and message). */
    describeTaskFailure(taskId: string): Promise<EcsTaskFailure>;
}

/** How to reach ECS. */
export type EcsClientOptions = AlicloudClientOptions;

const PAGE = 100;
const REDEPLOY = "RedeployInstance";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The ECS client of alicloud.InstanceRedeploy: the generated SDK, retries, CloudErrors. */
export function createEcsClient(opts: EcsClientOptions): EcsApi {
    const client = new EcsClient(openApiConfig(opts));
    const runtime = { autoretry: false } as never;
    const regionId = opts.regionId;
    const call = <T>(
        operation: string,
        fn: () => Promise<{ body?: T }>,
        retry: { maxAttempts?: number } = {},
    ): Promise<T> =>
        callAlicloud(
            "ECS",
            operation,
            async () => {
                const res = await fn();
                if (!res.body) {
                    throw new SyntaxError(`${operation} answered without a body`);
                }
                return res.body;
            },
            { ...opts, ...retry },
        );

    const toTask = (t: $Ecs.DescribeTasksResponseBodyTaskSetTask): EcsTask => ({
        taskId: t.taskId ?? "",
        taskAction: str(t.taskAction),
        status: t.taskStatus ?? "",
        resourceId: str(t.resourceId),
        creationTime: str(t.creationTime),
        finishedTime: str(t.finishedTime),
    });

    return {
        async describeInstances(instanceIds) {
            const out: EcsInstance[] = [];
            for (const ids of chunks(instanceIds, PAGE)) {
                const body = await call("DescribeInstances", () =>
                    client.describeInstancesWithOptions(
                        new $Ecs.DescribeInstancesRequest({
                            regionId,
                            instanceIds: JSON.stringify(ids),
                            pageSize: PAGE,
                        }),
                        runtime,
                    ),
                );
                for (const i of body.instances?.instance ?? []) {
                    out.push({
                        instanceId: i.instanceId ?? "",
                        status: i.status ?? "",
                        instanceType: str(i.instanceType),
                        dedicatedHostId: str(i.dedicatedHostAttribute?.dedicatedHostId),
                        lockReasons: (i.operationLocks?.lockReason ?? [])
                            .map((l) => l.lockReason ?? "")
                            .filter((r) => r !== ""),
                    });
                }
            }
            return out;
        },

        async describeDisks(instanceId) {
            const out: EcsDisk[] = [];
            for (let page = 1; ; page++) {
                const body = await call("DescribeDisks", () =>
                    client.describeDisksWithOptions(
                        new $Ecs.DescribeDisksRequest({
                            regionId,
                            instanceId,
                            pageNumber: page,
                            pageSize: PAGE,
                        }),
                        runtime,
                    ),
                );
                const disks = body.disks?.disk ?? [];
                for (const d of disks) {
                    out.push({
                        diskId: d.diskId ?? "",
                        category: d.category ?? "",
                        type: str(d.type),
                    });
                }
                if (disks.length < PAGE || out.length >= (body.totalCount ?? 0)) {
                    return out;
                }
            }
        },

        async describeSystemEvents(instanceIds, statuses) {
            const out: EcsSystemEvent[] = [];
            for (const ids of chunks(instanceIds, PAGE)) {
                for (let page = 1; ; page++) {
                    const body = await call("DescribeInstanceHistoryEvents", () =>
                        client.describeInstanceHistoryEventsWithOptions(
                            new $Ecs.DescribeInstanceHistoryEventsRequest({
                                regionId,
                                resourceType: "instance",
                                resourceId: ids,
                                instanceEventCycleStatus: [...statuses],
                                pageNumber: page,
                                pageSize: PAGE,
                            }),
                            runtime,
                        ),
                    );
                    const events = body.instanceSystemEventSet?.instanceSystemEventType ?? [];
                    for (const e of events) {
                        out.push({
                            eventId: e.eventId ?? "",
                            instanceId: e.instanceId ?? "",
                            eventType: e.eventType?.name ?? "",
                            status: e.eventCycleStatus?.name ?? "",
                            notBefore: str(e.notBefore),
                            publishTime: str(e.eventPublishTime),
                        });
                    }
                    if (events.length < PAGE || page * PAGE >= (body.totalCount ?? 0)) {
                        break;
                    }
                }
            }
            return out;
        },

        async redeployInstance(instanceId, forceStop) {
            // One attempt: an unanswered RedeployInstance may have started the redeploy, so the
            // caller looks for its task before trying again (the API takes no client token).
            const body = await call(
                REDEPLOY,
                () =>
                    client.redeployInstanceWithOptions(
                        new $Ecs.RedeployInstanceRequest({ instanceId, forceStop }),
                        runtime,
                    ),
                { maxAttempts: 1 },
            );
            if (!body.taskId) {
                throw new SyntaxError(
                    `RedeployInstance for ${instanceId} answered without a TaskId`,
                );
            }
            return body.taskId;
        },

        async describeTasks(taskIds) {
            const out: EcsTask[] = [];
            for (const ids of chunks(taskIds, PAGE)) {
                const body = await call("DescribeTasks", () =>
                    client.describeTasksWithOptions(
                        new $Ecs.DescribeTasksRequest({
                            regionId,
                            taskIds: ids.join(","),
                            pageSize: PAGE,
                        }),
                        runtime,
                    ),
                );
                out.push(...(body.taskSet?.task ?? []).map(toTask));
            }
            return out;
        },

        async describeRedeployTasks(instanceIds) {
            const out: EcsTask[] = [];
            for (const ids of chunks(instanceIds, PAGE)) {
                for (let page = 1; ; page++) {
                    const body = await call("DescribeTasks", () =>
                        client.describeTasksWithOptions(
                            new $Ecs.DescribeTasksRequest({
                                regionId,
                                taskAction: REDEPLOY,
                                resourceIds: ids,
                                pageNumber: page,
                                pageSize: PAGE,
                            }),
                            runtime,
                        ),
                    );
                    const tasks = (body.taskSet?.task ?? []).map(toTask);
                    // Filtered here too: the answer is trusted only for what was asked.
                    out.push(
                        ...tasks.filter(
                            (t) =>
                                (t.taskAction ?? REDEPLOY) === REDEPLOY &&
                                t.resourceId !== undefined &&
                                ids.includes(t.resourceId),
                        ),
                    );
                    if (tasks.length < PAGE || page * PAGE >= (body.totalCount ?? 0)) {
                        break;
                    }
                }
            }
            return out;
        },

        async describeTaskFailure(taskId) {
            const body = await call("DescribeTaskAttribute", () =>
                client.describeTaskAttributeWithOptions(
                    new $Ecs.DescribeTaskAttributeRequest({ regionId, taskId }),
                    runtime,
                ),
            );
            const progress = body.operationProgressSet?.operationProgress ?? [];
            const failed = progress.find((p) => p.errorCode || p.errorMsg) ?? progress[0];
            return { code: str(failed?.errorCode), message: str(failed?.errorMsg) };
        },
    };
}

/** Whether a disk category is a local disk, whose data a redeploy erases. */
export function isLocalDiskCategory(category: string): boolean {
    return category.startsWith("local_") || category.startsWith("ephemeral");
}
