import { CloudError } from "../../src/core/errors";
import type {
    EssApi,
    EssRefreshTask,
    EssScalingGroup,
    EssScalingInstance,
    StartInstanceRefreshRequest,
} from "../../src/clouds/alicloud/ess";

/** A scripted ESS: each Describe of a task returns the next status of its script (the last repeats). */
export class FakeEss implements EssApi {
    readonly calls: { op: string; args: unknown }[] = [];
    readonly tasks = new Map<
        string,
        { script: Partial<EssRefreshTask>[]; i: number; group: string }
    >();
    groups = ["asg-1"];
    /** What DescribeScalingGroups adds to every group (MultiAZPolicy, ScalingPolicy, ...). */
    groupFields: Partial<EssScalingGroup> = {};
    /** Scripts for the refreshes Start will create, in order. */
    nextScripts: Partial<EssRefreshTask>[][] = [];
    /** Errors Start throws before succeeding, in order. */
    startErrors: CloudError[] = [];
    private n = 0;

    ops(): string[] {
        return this.calls.map((c) => c.op);
    }

    addTask(id: string, script: Partial<EssRefreshTask>[], group = "asg-1"): void {
        this.tasks.set(id, { script, i: 0, group });
    }

    async startInstanceRefresh(req: StartInstanceRefreshRequest): Promise<string> {
        this.calls.push({ op: "Start", args: req });
        const err = this.startErrors.shift();
        if (err) {
            throw err;
        }
        const id = `ir-${++this.n}`;
        this.addTask(
            id,
            this.nextScripts.shift() ?? [{ status: "Successful" }],
            req.scalingGroupId,
        );
        return id;
    }

    private view(id: string, advance: boolean): EssRefreshTask | undefined {
        const t = this.tasks.get(id);
        if (!t) {
            return undefined;
        }
        const step = t.script[Math.min(t.i, t.script.length - 1)]!;
        if (advance) {
            t.i++;
        }
        return {
            instanceRefreshTaskId: id,
            scalingGroupId: t.group,
            status: "InProgress",
            ...step,
        };
    }

    async describeInstanceRefreshes(req: {
        scalingGroupId: string;
        instanceRefreshTaskIds?: string[];
    }) {
        this.calls.push({ op: "Describe", args: req });
        const ids = req.instanceRefreshTaskIds ?? [...this.tasks.keys()].reverse();
        const tasks = ids
            .map((id) => this.view(id, !!req.instanceRefreshTaskIds))
            .filter((t): t is EssRefreshTask => !!t && t.scalingGroupId === req.scalingGroupId);
        return { tasks };
    }

    private jump(id: string, script: Partial<EssRefreshTask>[]): void {
        const t = this.tasks.get(id);
        if (t) {
            t.script = script;
            t.i = 0;
        }
    }

    async cancelInstanceRefresh(ref: { instanceRefreshTaskId: string }) {
        this.calls.push({ op: "Cancel", args: ref });
        this.jump(ref.instanceRefreshTaskId, [{ status: "Cancelling" }, { status: "Cancelled" }]);
    }

    async suspendInstanceRefresh(ref: { instanceRefreshTaskId: string }) {
        this.calls.push({ op: "Suspend", args: ref });
    }

    async resumeInstanceRefresh(ref: { instanceRefreshTaskId: string }) {
        this.calls.push({ op: "Resume", args: ref });
    }

    rollbackScript: Partial<EssRefreshTask>[] = [
        { status: "RollbackInProgress" },
        { status: "RollbackSuccessful" },
    ];

    async rollbackInstanceRefresh(ref: { instanceRefreshTaskId: string }) {
        this.calls.push({ op: "Rollback", args: ref });
        this.jump(ref.instanceRefreshTaskId, this.rollbackScript);
    }

    /** What DescribeScalingInstances lists. */
    instances: EssScalingInstance[] = [];

    async describeScalingInstances(req: { scalingGroupId: string }) {
        this.calls.push({ op: "DescribeScalingInstances", args: req });
        return this.instances;
    }

    async describeScalingGroups(req: { scalingGroupIds: string[] }) {
        this.calls.push({ op: "DescribeScalingGroups", args: req });
        return req.scalingGroupIds
            .filter((id) => this.groups.includes(id))
            .map((id) => ({
                scalingGroupId: id,
                lifecycleState: "Active",
                totalCapacity: 4,
                ...this.groupFields,
            }));
    }
}

/** An ESS error as the client throws it. */
export function essError(code: string, message: string, httpStatus = 400): CloudError {
    return new CloudError({
        service: "ESS",
        operation: "StartInstanceRefresh",
        code,
        cloudMessage: message,
        requestId: "REQ-1",
        httpStatus,
        transient: httpStatus >= 500 || code.startsWith("Throttling"),
    });
}
