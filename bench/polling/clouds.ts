/**
 * The two clouds, in process: the library's cloud interfaces (EssApi, AutoScalingApi) answered by
 * the sandbox's own action handlers over the sandbox's refresh engines, on the bench's virtual
 * clock. Only the transport is skipped (HTTP, signatures, the SDKs' (de)serialization); what a
 * Describe answers is the simulator's own response body, read by the library's own mapping
 * (`refreshTaskFromWire`, `fromPascal`), so the runner sees exactly what it sees over the wire.
 */
import type { VirtualClock } from "../../src/core/clock";
import {
    type EssApi,
    type EssRefreshTask,
    refreshTaskFromWire,
    type RefreshTaskRef,
    startInstanceRefreshParams,
    type StartInstanceRefreshRequest,
} from "../../src/clouds/alicloud/ess";
import {
    type AsgRefresh,
    type AutoScalingApi,
    fromPascal,
    toPascal,
} from "../../src/clouds/aws/autoscaling";
import { ACTIONS as ESS_ACTIONS } from "../../src/sandbox/ess/actions";
import { flatten } from "../../src/sandbox/ess/params";
import type { RefreshEngine } from "../../src/sandbox/ess/refreshEngine";
import { AUTOSCALING_ACTIONS } from "../../src/sandbox/autoscaling/actions";
import type { AsgRefreshEngine } from "../../src/sandbox/autoscaling/refreshEngine";

/** A status change inside an engine, at its exact simulator time. */
export interface Transition {
    status: string;
    at: number;
}

/** What the bench records of one run's cloud traffic and the engine's own transitions. */
export interface CloudRecord {
    /** DescribeInstanceRefreshes calls (the cost the goals are about). */
    describeCalls: number;
    /** Every call, by action name, with its virtual time. */
    calls: { action: string; at: number }[];
    /** Each Describe answer's status for the task, with its time. */
    observed: { at: number; status: string }[];
    /** Terminal (and AWS auto-rollback) transitions, recorded inside the engine. */
    transitions: Transition[];
}

function newRecord(): CloudRecord {
    return { describeCalls: 0, calls: [], observed: [], transitions: [] };
}

/**
 * Records the engine's transitions at their exact times. The engines only expose times at second
 * precision (StartTime/EndTime), too coarse for lags of a few seconds, so the bench wraps the
 * engine instance's own transition methods (no source change): `finish(task, status, t, ...)` in
 * both engines and `startRollback(task, t, reason, auto)` in the Auto Scaling one.
 */
function tapTransitions(engine: object, record: CloudRecord): void {
    const methods = engine as unknown as Record<string, unknown>;
    const wrap = (name: string, toTransition: (args: unknown[]) => Transition): void => {
        const original = methods[name];
        if (typeof original !== "function") {
            throw new Error(`bench: the engine has no ${name}(): update bench/polling/clouds.ts`);
        }
        methods[name] = function (this: unknown, ...args: unknown[]): unknown {
            record.transitions.push(toTransition(args));
            return (original as (...a: unknown[]) => unknown).apply(this, args);
        };
    };
    wrap("finish", (args) => ({ status: String(args[1]), at: Number(args[2]) }));
    if ("startRollback" in methods) {
        wrap("startRollback", (args) => ({ status: "RollbackInProgress", at: Number(args[1]) }));
    }
}

/** Options of the in-process clouds. */
export interface CloudOptions {
    /**
     * How long a call that changes a refresh (Start, Rollback, Cancel) takes to answer, in virtual
     * ms: it shifts the poll schedule against the refresh's own timeline, so that lags are not
     * artefacts of one alignment.
     */
    startLatencyMs: number;
}

/** An EssApi over the ESS sandbox's action handlers and engine. */
export function essCloud(
    engine: RefreshEngine,
    clock: VirtualClock,
    regionId: string,
    opts: CloudOptions & { onTask?: (task: EssRefreshTask) => void },
): { api: EssApi; record: CloudRecord } {
    const record = newRecord();
    tapTransitions(engine, record);
    const call = (action: string, body: Record<string, unknown>): Record<string, unknown> => {
        const handler = ESS_ACTIONS[action];
        if (!handler) {
            throw new Error(`bench: the ESS sandbox has no action ${action}`);
        }
        const now = clock.now();
        record.calls.push({ action, at: now });
        const params = flatten({ RegionId: regionId, ...body }, "", {});
        // The JSON round trip is what the client receives.
        return JSON.parse(JSON.stringify(handler(params, { engine, now }))) as Record<
            string,
            unknown
        >;
    };
    const taskCall = async (action: string, ref: RefreshTaskRef): Promise<void> => {
        call(action, {
            ScalingGroupId: ref.scalingGroupId,
            InstanceRefreshTaskId: ref.instanceRefreshTaskId,
        });
        await clock.sleep(opts.startLatencyMs);
    };
    const api: EssApi = {
        async startInstanceRefresh(req: StartInstanceRefreshRequest) {
            const body = call("StartInstanceRefresh", startInstanceRefreshParams(req));
            await clock.sleep(opts.startLatencyMs);
            return String(body.InstanceRefreshTaskId);
        },
        describeInstanceRefreshes(req) {
            record.describeCalls++;
            const body = call("DescribeInstanceRefreshes", {
                ScalingGroupId: req.scalingGroupId,
                InstanceRefreshTaskIds: req.instanceRefreshTaskIds,
                MaxResults: req.maxResults,
                NextToken: req.nextToken,
            });
            const list = Array.isArray(body.InstanceRefreshTasks)
                ? (body.InstanceRefreshTasks as Record<string, unknown>[])
                : [];
            const tasks = list.map(refreshTaskFromWire);
            for (const t of tasks) {
                record.observed.push({ at: clock.now(), status: t.status });
                opts.onTask?.(t);
            }
            return Promise.resolve({
                tasks,
                nextToken: typeof body.NextToken === "string" ? body.NextToken : undefined,
            });
        },
        cancelInstanceRefresh: (ref) => taskCall("CancelInstanceRefresh", ref),
        suspendInstanceRefresh: (ref) => taskCall("SuspendInstanceRefresh", ref),
        resumeInstanceRefresh: (ref) => taskCall("ResumeInstanceRefresh", ref),
        rollbackInstanceRefresh: (ref) => taskCall("RollbackInstanceRefresh", ref),
        describeScalingGroups: () => Promise.reject(new Error("bench: not used")),
        describeScalingInstances: () => Promise.reject(new Error("bench: not used")),
    };
    return { api, record };
}

/** AWS query serialization: `A.B=x`, lists as `A.member.N`. */
function awsQuery(value: unknown, prefix: string, out: Record<string, string>): void {
    if (value === undefined || value === null) {
        return;
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => awsQuery(v, `${prefix}.member.${i + 1}`, out));
    } else if (typeof value === "object") {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            awsQuery(v, prefix === "" ? k : `${prefix}.${k}`, out);
        }
    } else if (typeof value === "string") {
        out[prefix] = value;
    } else if (typeof value === "number" || typeof value === "boolean") {
        out[prefix] = String(value);
    }
}

/** The timestamps the SDK's deserializer turns into Dates (fromPascal turns them back). */
function sdkDates(r: Record<string, unknown>): Record<string, unknown> {
    const date = (v: unknown): Date | undefined =>
        typeof v === "string" && v !== "" ? new Date(v) : undefined;
    const out: Record<string, unknown> = { ...r, StartTime: date(r.StartTime) };
    out.EndTime = date(r.EndTime);
    const rb = r.RollbackDetails as Record<string, unknown> | undefined;
    if (rb) {
        out.RollbackDetails = { ...rb, RollbackStartTime: date(rb.RollbackStartTime) };
    }
    return out;
}

/** An AutoScalingApi over the Auto Scaling sandbox's action handlers and engine. */
export function asgCloud(
    engine: AsgRefreshEngine,
    clock: VirtualClock,
    opts: CloudOptions & { onRefresh?: (refresh: AsgRefresh) => void },
): { api: AutoScalingApi; record: CloudRecord } {
    const record = newRecord();
    tapTransitions(engine, record);
    const call = (action: string, body: Record<string, unknown>): Record<string, unknown> => {
        const handler = AUTOSCALING_ACTIONS[action];
        if (!handler) {
            throw new Error(`bench: the Auto Scaling sandbox has no action ${action}`);
        }
        const now = clock.now();
        record.calls.push({ action, at: now });
        const params: Record<string, string> = {};
        awsQuery(body, "", params);
        return handler(params, { engine, now }) ?? {};
    };
    const api: AutoScalingApi = {
        async startInstanceRefresh(req) {
            const body = call(
                "StartInstanceRefresh",
                toPascal({
                    autoScalingGroupName: req.autoScalingGroupName,
                    strategy: req.strategy === "Rolling" ? "Rolling" : undefined,
                    desiredConfiguration: req.desiredConfiguration,
                    preferences: req.preferences,
                }) as Record<string, unknown>,
            );
            await clock.sleep(opts.startLatencyMs);
            return String(body.InstanceRefreshId);
        },
        describeInstanceRefreshes(req) {
            record.describeCalls++;
            const body = call("DescribeInstanceRefreshes", {
                AutoScalingGroupName: req.autoScalingGroupName,
                InstanceRefreshIds: req.instanceRefreshIds,
                MaxRecords: req.maxRecords,
            });
            const list = Array.isArray(body.InstanceRefreshes)
                ? (body.InstanceRefreshes as Record<string, unknown>[])
                : [];
            const refreshes = list.map((r) => fromPascal(sdkDates(r)) as AsgRefresh);
            for (const r of refreshes) {
                record.observed.push({ at: clock.now(), status: r.status });
                opts.onRefresh?.(r);
            }
            return Promise.resolve(refreshes);
        },
        async cancelInstanceRefresh(name) {
            const body = call("CancelInstanceRefresh", { AutoScalingGroupName: name });
            await clock.sleep(opts.startLatencyMs);
            return String(body.InstanceRefreshId);
        },
        async rollbackInstanceRefresh(name) {
            const body = call("RollbackInstanceRefresh", { AutoScalingGroupName: name });
            await clock.sleep(opts.startLatencyMs);
            return String(body.InstanceRefreshId);
        },
        describeAutoScalingGroup: () => Promise.reject(new Error("bench: not used")),
        resolveLaunchTemplateVersion: () => Promise.reject(new Error("bench: not used")),
    };
    return { api, record };
}
