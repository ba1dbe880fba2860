import type { Clock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import type {
    EcsApi,
    EcsDisk,
    EcsInstance,
    EcsSystemEvent,
    EcsTask,
    EcsTaskFailure,
} from "../../src/clouds/alicloud/ecs";

/** One instance of the fake. */
export interface FakeInstance {
    instanceId: string;
    status: string;
    dedicatedHostId?: string;
    lockReasons?: string[];
    disks?: EcsDisk[];
}

interface FakeTask extends EcsTask {
    endsAt: number;
    failWith?: EcsTaskFailure;
    originalStatus: string;
}

/** An ECS error as the client throws it. */
export function ecsError(code: string, transient = false, httpStatus = 403): CloudError {
    return new CloudError({
        service: "ECS",
        operation: "RedeployInstance",
        code,
        cloudMessage: `${code} from the fake`,
        httpStatus,
        transient,
    });
}

/**
 * An in-memory ECS for provider tests: instances, system events and RedeployInstance tasks that
 * take `redeployMs` of the injected clock, with every call recorded.
 */
export class FakeEcs implements EcsApi {
    readonly calls: { op: string; args: unknown }[] = [];
    readonly instances = new Map<string, FakeInstance>();
    readonly events: EcsSystemEvent[] = [];
    readonly tasks: FakeTask[] = [];
    /** How long a redeploy takes. */
    redeployMs = 60_000;
    /** Failures to throw from the next RedeployInstance calls (by instance id). */
    redeployErrors = new Map<string, CloudError>();
    /** Instances whose RedeployInstance starts the task and still answers this error. */
    answerAfterStart = new Map<string, CloudError>();
    /** Instances whose redeploy task ends Failed with this. */
    taskFailures = new Map<string, EcsTaskFailure>();
    /** Instances whose events ECS is slow to close after their redeploy finished. */
    eventsStayOpen = new Set<string>();
    /** When true, RedeployInstance starts the task but throws a transient error (a lost answer). */
    loseRedeployAnswer = false;
    private nextTask = 1;
    private maxProcessing = 0;

    constructor(private readonly clock: Clock) {}

    add(i: FakeInstance, events: Partial<EcsSystemEvent>[] = []): void {
        this.instances.set(i.instanceId, i);
        for (const e of events) {
            this.events.push({
                eventId: `e-${i.instanceId}-${this.events.length + 1}`,
                instanceId: i.instanceId,
                eventType: "SystemMaintenance.Reboot",
                status: "Scheduled",
                notBefore: "2026-02-01T00:00:00Z",
                publishTime: new Date(this.clock.now() - 3_600_000).toISOString(),
                ...e,
            });
        }
    }

    /** Most redeploy tasks Processing at once so far. */
    get peakConcurrency(): number {
        return this.maxProcessing;
    }

    count(op: string): number {
        return this.calls.filter((c) => c.op === op).length;
    }

    redeployedIds(): string[] {
        return this.calls
            .filter((c) => c.op === "redeployInstance")
            .map((c) => (c.args as { instanceId: string }).instanceId);
    }

    /** Applies the passage of time: tasks end, instances return, events close. */
    private settle(): void {
        const now = this.clock.now();
        let processing = 0;
        for (const t of this.tasks) {
            if (t.status !== "Processing") {
                continue;
            }
            const i = this.instances.get(t.resourceId!)!;
            if (now < t.endsAt) {
                processing++;
                i.status = now < t.endsAt - this.redeployMs / 2 ? "Stopping" : "Starting";
                continue;
            }
            t.finishedTime = new Date(t.endsAt).toISOString();
            if (t.failWith) {
                t.status = "Failed";
                i.status = t.originalStatus;
                continue;
            }
            t.status = "Finished";
            i.status = "Running";
            if (this.eventsStayOpen.has(i.instanceId)) {
                continue;
            }
            for (const e of this.events) {
                if (
                    e.instanceId === i.instanceId &&
                    ["Scheduled", "Inquiring"].includes(e.status)
                ) {
                    e.status = "Avoided";
                } else if (e.instanceId === i.instanceId && e.status === "Executing") {
                    e.status = "Executed";
                }
            }
        }
        this.maxProcessing = Math.max(this.maxProcessing, processing);
    }

    /** Starts a task as if another (killed) deployment had called RedeployInstance. */
    startTask(instanceId: string): string {
        const i = this.instances.get(instanceId)!;
        const taskId = `t-${this.nextTask++}`;
        this.tasks.push({
            taskId,
            taskAction: "RedeployInstance",
            status: "Processing",
            resourceId: instanceId,
            creationTime: new Date(this.clock.now()).toISOString(),
            endsAt: this.clock.now() + this.redeployMs,
            failWith: this.taskFailures.get(instanceId),
            originalStatus: i.status,
        });
        i.status = i.status === "Running" ? "Stopping" : "Starting";
        this.settle();
        return taskId;
    }

    describeInstances(instanceIds: readonly string[]): Promise<EcsInstance[]> {
        this.calls.push({ op: "describeInstances", args: [...instanceIds] });
        this.settle();
        return Promise.resolve(
            instanceIds
                .map((id) => this.instances.get(id))
                .filter((i): i is FakeInstance => i !== undefined)
                .map((i) => ({
                    instanceId: i.instanceId,
                    status: i.status,
                    dedicatedHostId: i.dedicatedHostId,
                    lockReasons: i.lockReasons ?? [],
                })),
        );
    }

    describeDisks(instanceId: string): Promise<EcsDisk[]> {
        this.calls.push({ op: "describeDisks", args: instanceId });
        return Promise.resolve(
            this.instances.get(instanceId)?.disks ?? [
                { diskId: `d-${instanceId}`, category: "cloud_essd", type: "system" },
            ],
        );
    }

    describeSystemEvents(
        instanceIds: readonly string[],
        statuses: readonly string[],
    ): Promise<EcsSystemEvent[]> {
        this.calls.push({ op: "describeSystemEvents", args: { instanceIds, statuses } });
        this.settle();
        return Promise.resolve(
            this.events
                .filter((e) => instanceIds.includes(e.instanceId) && statuses.includes(e.status))
                .map((e) => ({ ...e })),
        );
    }

    redeployInstance(instanceId: string, forceStop: boolean): Promise<string> {
        this.calls.push({ op: "redeployInstance", args: { instanceId, forceStop } });
        this.settle();
        const err = this.redeployErrors.get(instanceId);
        if (err) {
            return Promise.reject(err);
        }
        const i = this.instances.get(instanceId);
        if (!i) {
            return Promise.reject(ecsError("InvalidInstanceId.NotFound", false, 404));
        }
        if (i.status !== "Running" && i.status !== "Stopped") {
            return Promise.reject(ecsError("IncorrectInstanceStatus"));
        }
        const taskId = this.startTask(instanceId);
        const answer = this.answerAfterStart.get(instanceId);
        if (answer) {
            return Promise.reject(answer);
        }
        if (this.loseRedeployAnswer) {
            return Promise.reject(ecsError("ServiceUnavailable", true, 503));
        }
        return Promise.resolve(taskId);
    }

    describeTasks(taskIds: readonly string[]): Promise<EcsTask[]> {
        this.calls.push({ op: "describeTasks", args: [...taskIds] });
        this.settle();
        return Promise.resolve(
            this.tasks.filter((t) => taskIds.includes(t.taskId)).map((t) => this.view(t)),
        );
    }

    describeRedeployTasks(instanceIds: readonly string[]): Promise<EcsTask[]> {
        this.calls.push({ op: "describeRedeployTasks", args: [...instanceIds] });
        this.settle();
        return Promise.resolve(
            this.tasks.filter((t) => instanceIds.includes(t.resourceId!)).map((t) => this.view(t)),
        );
    }

    describeTaskFailure(taskId: string): Promise<EcsTaskFailure> {
        this.calls.push({ op: "describeTaskFailure", args: taskId });
        return Promise.resolve(this.tasks.find((t) => t.taskId === taskId)?.failWith ?? {});
    }

    private view(t: FakeTask): EcsTask {
        return {
            taskId: t.taskId,
            taskAction: t.taskAction,
            status: t.status,
            resourceId: t.resourceId,
            creationTime: t.creationTime,
            finishedTime: t.finishedTime,
        };
    }
}
