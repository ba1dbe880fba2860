/**
 * The fault matrix's targets: one resource of one cloud, on its simulator and sandbox stack, with
 * what the invariants need to know about it (how many operations it started, whether its state
 * tells the truth, whether the fleet is where the stack wants it).
 */
import { SANDBOX_AWS_SECRET_ACCESS_KEY } from "../../../src/sandbox/autoscaling";
import type { SimFaults } from "../../../src/sandbox/common/faults";
import { SANDBOX_ACCESS_KEY_SECRET } from "../../../src/sandbox/ess";
import { AwsSandbox, EcsSandbox, Sandbox, StackHarness } from "../harness";

export const ESS_GROUP = "asg-sandbox-web";
export const ESS_HOOK = "ash-sandbox-bootstrap";
export const AWS_HOOK = "bootstrap";

/** Every secret the sandboxes sign with: none may appear in state or output. */
export const SECRETS = [SANDBOX_ACCESS_KEY_SECRET, SANDBOX_AWS_SECRET_ACCESS_KEY];

/** One recorded call, as the invariants see it. */
export interface Call {
    action: string;
    httpStatus: number;
    errorCode?: string;
}

/** Faults every simulator takes. */
export type Faults = SimFaults;

export type TargetKind = "ess" | "aws" | "ecs" | "essPolicy" | "awsPolicy";

/** A resource under test. */
export interface Target {
    readonly kind: TargetKind;
    /** e.g. "alicloud.InstanceRefresh". */
    readonly resource: string;
    readonly box: StackHarness;
    /** The call that starts an operation (none for the policies). */
    readonly startAction?: string;
    /** The credentials' environment variables, and a wrong secret for them. */
    readonly credentialVars: string[];
    readonly wrongSecret: Record<string, string>;
    /** Stack config of the change under test (a new release, or an open event). */
    config(extra?: Record<string, unknown>): Record<string, string | number | boolean | object>;
    setFaults(f: Faults): void;
    calls(): Call[];
    /** Distinct operations the cloud started (refresh tasks, redeploy tasks), ours only. */
    started(): number;
    /** Throws unless the resource in state (if any) names only ids and statuses the cloud has. */
    assertTruthful(): void;
    /** Throws unless the fleet is where the stack wants it after a successful up. */
    assertConverged(): void;
    /** Whether the operation is now under way in the cloud (for interrupting mid-wait). */
    running(): boolean;
    /** Whether the refresh is now rolling back (refreshes only). */
    rollingBack(): boolean;
    /**
     * With setup.foreign: the foreign refresh (which runs until told) is cancelled by its owner,
     * and the group goes back to its usual pace.
     */
    endForeign(): void;
    /** Scenario changes: a slow operation, a failing one, a failing rollback, a foreign one. */
    scenario(s: { slow?: boolean; fail?: boolean; rollbackFails?: boolean }): void;
    stop(): Promise<void>;
}

/** A terminal status in state must be the cloud's; a running one may be older than the cloud's. */
function assertStatus(resource: string, id: string, inState: unknown, inCloud?: string): void {
    if (inCloud === undefined) {
        throw new Error(`${resource}: state names ${id}, which the cloud does not have`);
    }
    const running = /InProgress|Pending|Processing|Baking|Paused|Cancelling|Rolling/;
    if (inState !== inCloud && !(typeof inState === "string" && running.test(inState))) {
        throw new Error(
            `${resource}: state says ${id} is ${String(inState)}, the cloud ${inCloud}`,
        );
    }
}

function stateOf(box: StackHarness, suffix: string): Record<string, unknown> | undefined {
    try {
        return box.resourceState(suffix).outputs;
    } catch {
        return undefined; // not created yet (a killed create): state claims nothing
    }
}

/** How a target's cloud starts out. */
export interface Setup {
    /**
     * Another refresh (not this stack's) is already running on the group, at a pace that does not
     * end it before `endForeign`: however slowly the CLI starts, the up finds it running.
     */
    foreign?: boolean;
    /**
     * The code a start on the busy group is refused with (ESS documents none; AWS documents
     * InstanceRefreshInProgress, its simulator's default).
     */
    busyCode?: string;
}

/** The pace of a foreign refresh that must still be running when the up looks. */
const FOREIGN_BATCH_SECONDS = 3600;

export async function essTarget(
    kind: "ess" | "essPolicy" = "ess",
    setup: Setup = {},
): Promise<Target> {
    const box = await new Sandbox(
        [
            {
                scalingGroupId: ESS_GROUP,
                capacity: 4,
                // A hook only for the policy: instances would wait in it otherwise.
                lifecycleHooks:
                    kind === "essPolicy"
                        ? [
                              {
                                  lifecycleHookId: ESS_HOOK,
                                  lifecycleHookName: "bootstrap",
                                  heartbeatTimeout: 60,
                                  defaultResult: "CONTINUE",
                              },
                          ]
                        : [],
            },
        ],
        {
            pendingSeconds: 1,
            batchSeconds: setup.foreign ? FOREIGN_BATCH_SECONDS : 2,
            foreignRefresh: setup.foreign,
            busyCode: setup.busyCode,
        },
    ).start();
    const sim = box.sim;
    const ours = () => sim.refreshes(ESS_GROUP).filter((r) => !r.foreign);
    const scenario: Target["scenario"] = (s) =>
        sim.setScenario(ESS_GROUP, {
            batchSeconds: s.slow ? 4 : 2,
            failAtPercent: s.fail || s.rollbackFails ? 50 : undefined,
            rollbackFails: s.rollbackFails ?? false,
        });
    const policy = kind === "essPolicy";
    return {
        kind,
        resource: policy ? "alicloud.LifecycleHeartbeatPolicy" : "alicloud.InstanceRefresh",
        box,
        startAction: policy ? undefined : "StartInstanceRefresh",
        credentialVars: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
        wrongSecret: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-sandbox-secret" },
        config: (extra = {}) =>
            policy
                ? {
                      refresh: false,
                      lifecycleHookId: ESS_HOOK,
                      heartbeatTimeoutSeconds: 60,
                      maxPendingMinutes: 10,
                      ...extra,
                  }
                : { release: "2", ...extra },
        setFaults: (f) => sim.setFaults(f),
        calls: () => sim.calls.map((c) => ({ ...c })),
        started: () => ours().length,
        assertTruthful: () => {
            if (policy) {
                const out = stateOf(box, "alicloud.LifecycleHeartbeatPolicy");
                if (out && out.hookName !== "bootstrap") {
                    throw new Error(`policy state names hook ${String(out.hookName)}`);
                }
                return;
            }
            const out = stateOf(box, "alicloud.InstanceRefresh");
            const id = out?.instanceRefreshTaskId;
            if (typeof id === "string" && id !== "") {
                const cloud = sim.refreshes(ESS_GROUP).find((r) => r.InstanceRefreshTaskId === id);
                assertStatus("alicloud.InstanceRefresh", id, out?.status, cloud?.Status);
            }
        },
        assertConverged: () => {
            if (policy) {
                const out = stateOf(box, "alicloud.LifecycleHeartbeatPolicy");
                expect(out).toMatchObject({
                    hookName: "bootstrap",
                    hookHeartbeatTimeoutSeconds: 60,
                });
                return;
            }
            const out = stateOf(box, "alicloud.InstanceRefresh");
            const mine = ours().find((r) => r.InstanceRefreshTaskId === out?.instanceRefreshTaskId);
            expect(mine?.Status).toBe("Successful");
            expect(out?.status).toBe("Successful");
        },
        running: () => ours().some((r) => /InProgress|Rolling/.test(r.Status)),
        rollingBack: () => ours().some((r) => r.Status === "RollbackInProgress"),
        scenario,
        endForeign: () => {
            scenario({});
            for (const r of sim.refreshes(ESS_GROUP).filter((x) => x.foreign)) {
                sim.cancelRefresh(ESS_GROUP, r.InstanceRefreshTaskId);
            }
        },
        stop: () => box.stop(),
    };
}

export async function awsTarget(
    kind: "aws" | "awsPolicy" = "aws",
    setup: Setup = {},
): Promise<Target> {
    const box = await new AwsSandbox(
        setup.foreign
            ? {
                  foreignRefresh: true,
                  batchSeconds: FOREIGN_BATCH_SECONDS,
                  busyCode: setup.busyCode,
              }
            : { foreignRefresh: setup.foreign, busyCode: setup.busyCode },
        {
            capacity: 4,
            lifecycleHooks:
                kind === "awsPolicy"
                    ? [
                          {
                              lifecycleHookName: AWS_HOOK,
                              lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                              heartbeatTimeout: 60,
                              defaultResult: "CONTINUE",
                          },
                      ]
                    : [],
        },
    ).start();
    const sim = box.sim;
    const group = "sandbox-web";
    const ours = () => sim.refreshes(group).filter((r) => !r.foreign);
    const policy = kind === "awsPolicy";
    return {
        kind,
        resource: policy ? "aws.LifecycleHeartbeatPolicy" : "aws.InstanceRefresh",
        box,
        startAction: policy ? undefined : "StartInstanceRefresh",
        credentialVars: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
        wrongSecret: { AWS_SECRET_ACCESS_KEY: "not-the-sandbox-secret" },
        config: (extra = {}) =>
            policy
                ? { refresh: false, lifecycleHookName: AWS_HOOK, ...extra }
                : { launchTemplateVersion: "3", ...extra },
        setFaults: (f) => sim.setFaults(f),
        calls: () => sim.calls.map((c) => ({ ...c })),
        started: () => ours().length,
        assertTruthful: () => {
            if (policy) {
                const out = stateOf(box, "aws.LifecycleHeartbeatPolicy");
                if (out && out.hookName !== AWS_HOOK) {
                    throw new Error(`policy state names hook ${String(out.hookName)}`);
                }
                return;
            }
            const out = stateOf(box, "aws.InstanceRefresh");
            const id = out?.instanceRefreshId;
            if (typeof id === "string" && id !== "") {
                const cloud = sim.refreshes(group).find((r) => r.InstanceRefreshId === id);
                assertStatus("aws.InstanceRefresh", id, out?.status, cloud?.Status);
            }
        },
        assertConverged: () => {
            if (policy) {
                const out = stateOf(box, "aws.LifecycleHeartbeatPolicy");
                expect(out).toMatchObject({ hookName: AWS_HOOK, hookHeartbeatTimeoutSeconds: 60 });
                return;
            }
            const out = stateOf(box, "aws.InstanceRefresh");
            const mine = ours().find((r) => r.InstanceRefreshId === out?.instanceRefreshId);
            expect(mine?.Status).toBe("Successful");
            expect(out?.status).toBe("Successful");
        },
        running: () => ours().some((r) => /InProgress|Rollback/.test(r.Status)),
        rollingBack: () => ours().some((r) => r.Status === "RollbackInProgress"),
        scenario: (s) =>
            sim.setScenario(group, {
                pendingSeconds: 1,
                batchSeconds: s.slow ? 4 : 2,
                failAtPercent: s.fail || s.rollbackFails ? 50 : undefined,
                rollbackFails: s.rollbackFails ?? false,
            }),
        endForeign: () => {
            sim.setScenario(group, { pendingSeconds: 1, batchSeconds: 2 });
            sim.cancelRefresh(group);
        },
        stop: () => box.stop(),
    };
}

const FLEET = ["i-web-1", "i-web-2"];

export async function ecsTarget(): Promise<Target> {
    const box = await new EcsSandbox(FLEET.map((instanceId) => ({ instanceId }))).start();
    const sim = box.sim;
    let opened = false;
    return {
        kind: "ecs",
        resource: "alicloud.InstanceRedeploy",
        box,
        startAction: "RedeployInstance",
        credentialVars: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
        wrongSecret: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-sandbox-secret" },
        config: (extra = {}) => {
            if (!opened) {
                // The change under test: a maintenance event on i-web-2.
                sim.addEvent("i-web-2", { eventType: "SystemMaintenance.Reboot" });
                opened = true;
            }
            return { instanceIds: FLEET, maxConcurrent: 1, ...extra };
        },
        setFaults: (f) => sim.setFaults(f),
        calls: () => sim.calls.map((c) => ({ ...c })),
        started: () => sim.tasks().length,
        assertTruthful: () => {
            const out = stateOf(box, "alicloud.InstanceRedeploy");
            for (const i of (out?.instances as Record<string, unknown>[] | undefined) ?? []) {
                if (typeof i.taskId === "string") {
                    const task = sim.tasks().find((t) => t.TaskId === i.taskId);
                    assertStatus(
                        "alicloud.InstanceRedeploy",
                        i.taskId,
                        i.taskStatus,
                        task?.TaskStatus,
                    );
                }
            }
        },
        assertConverged: () => {
            const out = stateOf(box, "alicloud.InstanceRedeploy");
            expect(out?.status).toBe("Succeeded");
            expect(sim.instance("i-web-2").status).toBe("Running");
            expect(sim.events("i-web-2").map((e) => e.EventCycleStatus)).toEqual(["Avoided"]);
        },
        running: () => sim.tasks().some((t) => t.TaskStatus === "Processing"),
        rollingBack: () => false,
        endForeign: () => {
            throw new Error("ECS has no refreshes");
        },
        scenario: (s) =>
            sim.setScenario("i-web-2", {
                migrateSeconds: s.slow ? 8 : 2,
                failWith: s.fail
                    ? { code: "NoStock", message: "The resource is out of stock in the zone" }
                    : undefined,
            }),
        stop: () => box.stop(),
    };
}

export function target(kind: TargetKind, setup: Setup = {}): Promise<Target> {
    switch (kind) {
        case "ess":
        case "essPolicy":
            return essTarget(kind, setup);
        case "aws":
        case "awsPolicy":
            return awsTarget(kind, setup);
        case "ecs":
            return ecsTarget();
    }
}
