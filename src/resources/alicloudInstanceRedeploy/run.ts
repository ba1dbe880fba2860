/**
 * One `pulumi up` of alicloud.InstanceRedeploy: plans every instance, then redeploys at most
 * `maxConcurrent` at a time — each after its preconditions, waited on with the core poller through
 * DescribeTasks and until the instance is Running again. One failed instance never abandons the
 * others; every instance ends with a result that says what happened.
 */
import type { Clock } from "../../core/clock";
import { CloudError, messageOf } from "../../core/errors";
import { poll, PollOutcome } from "../../core/poller";
import { inBackground } from "../../core/rateLimiter";
import { formatDuration } from "../../core/refreshRunner";
import type { EcsApi, EcsInstance, EcsSystemEvent, EcsTask } from "../../clouds/alicloud/ecs";
import {
    assessInstance,
    describeEvents,
    InstancePlan,
    OPEN_EVENT_STATUSES,
    planRedeploy,
} from "./plan";
import type { InstanceRedeployInputs, InstanceResult, RedeployStatus } from "./types";
import { mayHideARunningRefresh } from "../common/taskPhases";

type WorkPlan = Extract<InstancePlan, { action: "redeploy" | "adopt" }>;

/** What a run needs from the outside world. */
export interface RedeployRunDeps {
    ecs: EcsApi;
    region: string;
    clock: Clock;
    log: (line: string) => void;
    poll?: { minDelayMs?: number; maxDelayMs?: number; maxQuietDelayMs?: number };
}

/** How a run ended. */
export interface RedeployRunResult {
    status: RedeployStatus;
    results: InstanceResult[];
}

const STEADY = new Set(["Running", "Stopped"]);
/** Further RedeployInstance attempts after an unanswered one that started nothing. */
const MAX_REDEPLOY_RETRIES = 4;

/**
 * RedeployInstance's refusal of this instance: "InvalidOperation.RedeployInstance" ("%s", seed
 * 000), which ECS answers for an instance whose open events are simulated ones (the page: "you
 * cannot redeploy the instance"). Recognised by its code alone; the message is ECS's to word.
 */
function isRedeployRefusal(err: CloudError): boolean {
    return err.code === "InvalidOperation.RedeployInstance";
}
/**
 * RedeployInstance's refusals seed 000 lists for reasons of the instance itself. Any other refusal
 * (but a credentials, clock or permission one) may hide a redeploy already under way, so the
 * instance's tasks are looked at before it is believed; IncorrectInstanceStatus is looked behind
 * and tried again (below).
 */
const REDEPLOY_REFUSED_FOR_OTHER_REASONS: readonly string[] = [
    "InstanceLockedForSecurity",
    "DiskError",
    "InstanceExpiredOrInArrears",
    "InvalidInstanceId.NotFound",
    "InvalidOperation.RedeployInstance",
];
const TRANSITIONAL = new Set(["Pending", "Starting", "Stopping"]);

function result(instanceId: string, fields: Partial<InstanceResult>): InstanceResult {
    return {
        instanceId,
        outcome: "failed",
        reason: "",
        taskId: null,
        taskStatus: null,
        eventIds: [],
        statusAfter: null,
        errorCode: null,
        ...fields,
    };
}

/** Reads what the plan needs and plans every instance. */
export async function planFromCloud(
    ecs: EcsApi,
    region: string,
    inputs: InstanceRedeployInputs,
    previous: ReadonlyMap<string, InstanceResult>,
): Promise<{ plans: InstancePlan[]; instances: Map<string, EcsInstance> }> {
    const ids = inputs.instanceIds;
    const instances = await ecs.describeInstances(ids);
    const events =
        inputs.when === "systemEvent"
            ? await ecs.describeSystemEvents(ids, OPEN_EVENT_STATUSES)
            : [];
    const tasks = await ecs.describeRedeployTasks(ids);
    const plans = planRedeploy({ inputs, instances, events, tasks, previous, region });
    return { plans, instances: new Map(instances.map((i) => [i.instanceId, i])) };
}

/** Runs the redeploys of one `pulumi up`. */
export async function runRedeploy(
    inputs: InstanceRedeployInputs,
    previous: ReadonlyMap<string, InstanceResult>,
    deps: RedeployRunDeps,
): Promise<RedeployRunResult> {
    const started = deps.clock.now();
    const deadline = started + inputs.timeoutMinutes * 60_000;
    const { plans, instances } = await planFromCloud(deps.ecs, deps.region, inputs, previous);
    const results = new Map<string, InstanceResult>();
    const work: WorkPlan[] = [];
    for (const plan of plans) {
        if (plan.action === "fail") {
            deps.log(`${plan.instanceId}: not redeployed: ${plan.reason}`);
            results.set(
                plan.instanceId,
                result(plan.instanceId, { reason: plan.reason, errorCode: plan.errorCode }),
            );
        } else if (plan.action === "skip") {
            deps.log(`${plan.instanceId}: nothing to do: ${plan.reason}`);
            results.set(
                plan.instanceId,
                result(plan.instanceId, {
                    outcome: "skipped",
                    reason: plan.reason,
                    eventIds: plan.eventIds,
                    taskId: plan.taskId ?? null,
                    statusAfter: instances.get(plan.instanceId)?.status ?? null,
                }),
            );
        } else {
            work.push(plan);
        }
    }
    // Redeploys already running come first: they hold the cloud's capacity already.
    work.sort((a, b) => Number(b.action === "adopt") - Number(a.action === "adopt"));
    if (work.length > 0) {
        deps.log(
            `${work.length} instance${work.length === 1 ? "" : "s"} to redeploy, at most ` +
                `${inputs.maxConcurrent} at a time, within ${inputs.timeoutMinutes} minutes`,
        );
    }
    const worker = new InstanceWorker(inputs, deps, deadline, previous);
    let next = 0;
    const lanes = Array.from({ length: Math.min(inputs.maxConcurrent, work.length) }, async () => {
        while (next < work.length) {
            const plan = work[next++]!;
            results.set(plan.instanceId, await worker.run(plan, instances.get(plan.instanceId)));
        }
    });
    await Promise.all(lanes);
    const ordered = inputs.instanceIds.map((id) => results.get(id)!);
    // A redeploy that could not be followed is still running, but something is wrong: red.
    const status: RedeployStatus = ordered.some(
        (r) => r.outcome === "failed" || (r.outcome === "inProgress" && r.errorCode !== null),
    )
        ? "Failed"
        : ordered.some((r) => r.outcome === "inProgress" || r.outcome === "notStarted")
          ? "TimedOut"
          : "Succeeded";
    const redeployed = ordered.filter((r) => r.outcome === "redeployed").length;
    deps.log(
        `${redeployed} redeployed, ${ordered.filter((r) => r.outcome === "skipped").length} skipped, ` +
            `${ordered.filter((r) => r.outcome === "failed").length} failed in ` +
            formatDuration(deps.clock.now() - started),
    );
    return { status, results: ordered };
}

/** Redeploys (or follows the redeploy of) one instance. */
class InstanceWorker {
    /**
     * The shortest time a redeploy started here took to be seen Finished, ms: the next ones are
     * first looked at after that long instead of ramping up (one worker serves all lanes).
     */
    private fastestMs: number | undefined;
    /** Each task's last status DescribeTasks reported (what state records if following it fails). */
    private readonly taskStatusSeen = new Map<string, string>();

    constructor(
        private readonly inputs: InstanceRedeployInputs,
        private readonly deps: RedeployRunDeps,
        private readonly deadline: number,
        private readonly previous: ReadonlyMap<string, InstanceResult>,
    ) {}

    async run(plan: WorkPlan, seen: EcsInstance | undefined): Promise<InstanceResult> {
        const id = plan.instanceId;
        const eventIds = plan.events.map((e) => e.eventId);
        try {
            if (plan.action === "adopt") {
                this.deps.log(
                    `${id}: redeploy ${plan.taskId} is already under way: waiting for it`,
                );
                return await this.follow(id, plan.taskId, eventIds);
            }
            return await this.redeploy(id, plan.events, seen);
        } catch (err) {
            const code = err instanceof CloudError ? err.code : null;
            const reason = messageOf(err);
            this.deps.log(`${id}: failed: ${reason}`);
            return result(id, { reason, errorCode: code, eventIds });
        }
    }

    private async redeploy(
        id: string,
        planned: EcsSystemEvent[],
        seen: EcsInstance | undefined,
    ): Promise<InstanceResult> {
        const notStarted = (): InstanceResult =>
            result(id, {
                outcome: "notStarted",
                reason: `not started: timeoutMinutes (${this.inputs.timeoutMinutes}) passed first`,
                eventIds: planned.map((e) => e.eventId),
                statusAfter: seen?.status ?? null,
            });
        let retries = 0;
        // The plan may be stale by now (redeploys of an interrupted deployment still going on,
        // someone else's, events closing): look again right before acting, until the instance is
        // in a status RedeployInstance accepts.
        for (;;) {
            if (this.deps.clock.now() >= this.deadline) {
                return notStarted();
            }
            const { plans, instances } = await planFromCloud(
                this.deps.ecs,
                this.deps.region,
                { ...this.inputs, instanceIds: [id] },
                this.previous,
            );
            const fresh = plans[0]!;
            const instance = instances.get(id);
            if (fresh.action === "fail") {
                this.deps.log(`${id}: not redeployed: ${fresh.reason}`);
                return result(id, { reason: fresh.reason, errorCode: fresh.errorCode });
            }
            if (fresh.action === "skip") {
                this.deps.log(`${id}: nothing to do any more: ${fresh.reason}`);
                return result(id, {
                    outcome: "skipped",
                    reason: fresh.reason,
                    eventIds: fresh.eventIds,
                    taskId: fresh.taskId ?? null,
                    statusAfter: instance?.status ?? null,
                });
            }
            const freshIds = fresh.events.map((e) => e.eventId);
            if (fresh.action === "adopt") {
                this.deps.log(
                    `${id}: redeploy ${fresh.taskId} is already under way: waiting for it`,
                );
                return this.follow(id, fresh.taskId, freshIds);
            }
            if (!instance || !STEADY.has(instance.status)) {
                if (!(await this.waitSteady(id))) {
                    return notStarted();
                }
                continue;
            }
            const disks = await this.deps.ecs.describeDisks(id);
            const verdict = assessInstance(this.inputs, instance, disks, fresh.events);
            if (verdict.verdict === "refuse") {
                return this.refuse(id, instance, fresh.events, verdict.reason, verdict.errorCode);
            }
            if (verdict.verdict === "skip") {
                return this.skip(id, instance, verdict.reason);
            }
            if (this.deps.clock.now() >= this.deadline) {
                return notStarted();
            }
            const events = verdict.events;
            const eventIds = events.map((e) => e.eventId);
            const calledAt = this.deps.clock.now();
            let taskId: string;
            try {
                taskId = await this.deps.ecs.redeployInstance(id, this.inputs.forceStop);
            } catch (err) {
                if (!(err instanceof CloudError)) {
                    throw err;
                }
                if (isRedeployRefusal(err)) {
                    const skipped = this.skip(
                        id,
                        instance,
                        `ECS refuses to redeploy it (${err.code}: ${err.cloudMessage}); ECS ` +
                            "answers so, for one, for an instance whose open events were created " +
                            "by CreateSimulatedSystemEvents, which it does not act on",
                    );
                    return { ...skipped, errorCode: err.code };
                }
                if (!err.transient && err.code !== "IncorrectInstanceStatus") {
                    if (mayHideARunningRefresh(err, REDEPLOY_REFUSED_FOR_OTHER_REASONS)) {
                        // A look that fails leaves ECS's refusal standing (it is the cause).
                        const under = await this.startedSince(id, calledAt).catch(
                            (lookErr: unknown) => {
                                this.deps.log(
                                    `${id}: RedeployInstance answered ${err.code}; its tasks could ` +
                                        `not be read to look behind it (${messageOf(lookErr)})`,
                                );
                                return undefined;
                            },
                        );
                        if (under) {
                            this.deps.log(
                                `${id}: RedeployInstance answered ${err.code}, a refusal ECS does ` +
                                    `not document, but redeploy ${under.taskId} of it is ` +
                                    `${under.status}: waiting for it`,
                            );
                            return this.follow(id, under.taskId, eventIds);
                        }
                    }
                    throw err;
                }
                // Unanswered, it may have started; refused for its status, another redeploy may
                // have just begun. Look before trying again: RedeployInstance takes no client
                // token, so only the task list tells.
                const started = await this.startedSince(id, calledAt);
                if (started) {
                    this.deps.log(
                        `${id}: RedeployInstance answered ${err.code}, but redeploy ` +
                            `${started.taskId} of it is ${started.status}: waiting for it`,
                    );
                    return this.follow(id, started.taskId, eventIds);
                }
                if (retries++ >= MAX_REDEPLOY_RETRIES) {
                    throw err;
                }
                this.deps.log(
                    `${id}: RedeployInstance answered ${err.code} and no redeploy of it started: ` +
                        "looking again",
                );
                await this.deps.clock.sleep(Math.min(2 ** retries * 1000, 30_000));
                continue;
            }
            const why = events.length > 0 ? ` for ${describeEvents(events)}` : "";
            const stop =
                instance.status === "Running"
                    ? this.inputs.forceStop
                        ? ", forcing the stop"
                        : ", stopping it gracefully"
                    : "";
            this.deps.log(`${id}: redeploying${why} (${instance.status}${stop}): task ${taskId}`);
            return this.follow(id, taskId, eventIds, true);
        }
    }

    /**
     * A redeploy of the instance running now, or created since `since` (ECS gives task times to
     * the minute, so from the start of that minute).
     */
    private async startedSince(id: string, since: number): Promise<EcsTask | undefined> {
        const minute = Math.floor(since / 60_000) * 60_000;
        const tasks = await this.deps.ecs.describeRedeployTasks([id]);
        return (
            tasks.find((t) => t.status === "Processing") ??
            tasks.find((t) => t.creationTime !== undefined && Date.parse(t.creationTime) >= minute)
        );
    }

    private skip(id: string, instance: EcsInstance, reason: string): InstanceResult {
        this.deps.log(`${id}: nothing to do: ${reason}`);
        return result(id, { outcome: "skipped", reason, statusAfter: instance.status });
    }

    private refuse(
        id: string,
        instance: EcsInstance,
        events: EcsSystemEvent[],
        reason: string,
        code: string | null,
    ): InstanceResult {
        this.deps.log(`${id}: not redeployed: ${reason}`);
        return result(id, {
            reason,
            errorCode: code,
            eventIds: events.map((e) => e.eventId),
            statusAfter: instance.status,
        });
    }

    /** Waits out a transitional status; undefined when the deadline comes first. */
    private async waitSteady(id: string): Promise<EcsInstance | undefined> {
        let announced = false;
        const outcome = await this.poll<EcsInstance | undefined>(async () => {
            const [i] = await inBackground(() => this.deps.ecs.describeInstances([id]));
            if (!i) {
                throw new CloudError({
                    service: "ECS",
                    operation: "DescribeInstances",
                    code: "InvalidInstanceId.NotFound",
                    cloudMessage: `instance ${id} no longer exists`,
                    transient: false,
                });
            }
            if (!STEADY.has(i.status) && !TRANSITIONAL.has(i.status)) {
                throw new Error(
                    `it is ${i.status}; RedeployInstance needs it Running or Stopped (not called)`,
                );
            }
            if (!STEADY.has(i.status) && !announced) {
                announced = true;
                this.deps.log(`${id}: is ${i.status}: waiting for Running or Stopped`);
            }
            return { value: i, done: STEADY.has(i.status), phase: i.status };
        });
        return outcome.kind === "done" ? outcome.value : undefined;
    }

    /**
     * Follows a started redeploy. It runs whatever happens here, so a failure to follow it (a
     * denied DescribeTasks, say) records it in progress with its task: the next `pulumi up` waits
     * on that task rather than starting another.
     */
    private async follow(
        id: string,
        taskId: string,
        eventIds: string[],
        startedHere = false,
    ): Promise<InstanceResult> {
        try {
            return await this.followTask(id, taskId, eventIds, startedHere);
        } catch (err) {
            const code = err instanceof CloudError ? err.code : null;
            // The task's last status seen is what state records: it is what the cloud said.
            const seen = this.taskStatusSeen.get(taskId);
            const reason =
                `redeploy ${taskId} was started${seen ? ` (last seen ${seen})` : ""}, but following ` +
                `it failed: ${messageOf(err)}; the next \`pulumi up\` waits on this task again`;
            this.deps.log(`${id}: ${reason}`);
            return result(id, {
                outcome: "inProgress",
                reason,
                taskId,
                taskStatus: seen ?? null,
                errorCode: code ?? "FollowFailed",
                eventIds,
            });
        }
    }

    /** Follows a redeploy task to its end, then the instance back to Running. */
    private async followTask(
        id: string,
        taskId: string,
        eventIds: string[],
        startedHere: boolean,
    ): Promise<InstanceResult> {
        const began = this.deps.clock.now();
        const expected =
            startedHere && this.fastestMs !== undefined ? began + this.fastestMs : undefined;
        const task = await this.poll<EcsTask | undefined>(async () => {
            const [t] = await inBackground(() => this.deps.ecs.describeTasks([taskId]));
            const status = t?.status ?? "Unknown";
            if (t?.status) {
                this.taskStatusSeen.set(taskId, t.status);
            }
            return { value: t, done: status === "Finished" || status === "Failed", phase: status };
        }, expected);
        if (startedHere && task.kind === "done" && task.value?.status === "Finished") {
            const took = this.deps.clock.now() - began;
            this.fastestMs = Math.min(this.fastestMs ?? Infinity, took);
        }
        const last =
            task.kind === "done" ? task.value : task.kind === "timeout" ? task.last : undefined;
        if (task.kind !== "done" || !last) {
            this.deps.log(
                `${id}: redeploy ${taskId} still ${last?.status ?? "unseen"} after timeoutMinutes; ` +
                    "the next `pulumi up` waits on it again",
            );
            return result(id, {
                outcome: "inProgress",
                reason: `redeploy ${taskId} was still running when timeoutMinutes passed`,
                taskId,
                taskStatus: last?.status ?? null,
                eventIds,
            });
        }
        if (last.status === "Failed") {
            const failure = await this.deps.ecs.describeTaskFailure(taskId).catch(() => ({
                code: undefined,
                message: undefined,
            }));
            const [after] = await this.deps.ecs.describeInstances([id]);
            const why = [failure.code, failure.message].filter(Boolean).join(": ");
            const reason =
                `redeploy ${taskId} Failed${why ? ` (${why})` : ""}; ECS returned the instance ` +
                `to its original host${after ? ` and it is ${after.status}` : ""}`;
            this.deps.log(`${id}: ${reason}`);
            return result(id, {
                reason,
                errorCode: failure.code ?? null,
                taskId,
                taskStatus: "Failed",
                eventIds,
                statusAfter: after?.status ?? null,
            });
        }
        const back = await this.poll<EcsInstance | undefined>(async () => {
            const [i] = await inBackground(() => this.deps.ecs.describeInstances([id]));
            return { value: i, done: i?.status === "Running", phase: i?.status ?? "Unknown" };
        });
        if (back.kind !== "done") {
            const status = back.kind === "timeout" ? back.last?.status : undefined;
            return result(id, {
                outcome: "inProgress",
                reason: `redeploy ${taskId} Finished, but the instance was still ${status ?? "unseen"} when timeoutMinutes passed`,
                taskId,
                taskStatus: "Finished",
                eventIds,
                statusAfter: status ?? null,
            });
        }
        this.deps.log(
            `${id}: redeployed (task ${taskId} Finished, instance Running) in ` +
                formatDuration(this.deps.clock.now() - began),
        );
        return result(id, {
            outcome: "redeployed",
            reason: eventIds.length > 0 ? `redeployed for ${eventIds.join(", ")}` : "redeployed",
            taskId,
            taskStatus: "Finished",
            eventIds,
            statusAfter: "Running",
        });
    }

    private poll<T>(
        observe: () => Promise<{ value: T; done: boolean; phase: string }>,
        expectedDoneAt?: number,
    ): Promise<PollOutcome<T>> {
        return poll<T>({
            observe,
            deadline: this.deadline,
            clock: this.deps.clock,
            expectedDoneAt,
            ...this.deps.poll,
            isTransient: (err) => err instanceof CloudError && err.transient,
        });
    }
}
