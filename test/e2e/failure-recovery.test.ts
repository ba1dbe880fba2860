/**
 * When a refresh does not go to plan: what `pulumi up` reports, what state records, and that the
 * next `pulumi up` recovers without ever starting a refresh twice. Real Pulumi CLI, ESS simulator.
 */
import { Sandbox } from "./harness";

jest.setTimeout(300_000);

const GROUP = "asg-sandbox-web";
const DETAIL =
    "ECS instance creation failed: the instance type ecs.g7.large is out of stock in the zone";

async function sandbox(scenario: ConstructorParameters<typeof Sandbox>[1]): Promise<Sandbox> {
    return new Sandbox([{ scalingGroupId: GROUP, capacity: 6 }], {
        pendingSeconds: 1,
        batchSeconds: 2,
        ...scenario,
    }).start();
}

test.concurrent(
    "a failed refresh fails pulumi up with ESS's Detail, state records it, and the next up retries",
    async () => {
        const box = await sandbox({});
        box.sim.setScenario(GROUP, { failAtPercent: 50, failDetail: DETAIL });
        try {
            const failed = await box.pulumi("up");
            expect(failed.code).not.toBe(0);
            expect(failed.output).toContain(`ended Failed: ${DETAIL}`);
            expect(failed.output).toMatch(
                /fix the cause and run `pulumi up` again to start a new refresh/,
            );
            const [first] = box.sim.refreshes(GROUP);
            expect(first?.Status).toBe("Failed");
            // Partial state: the real task id and status, and the failure kept for the next up.
            const state = box.refreshState();
            expect(state.outputs).toMatchObject({
                instanceRefreshTaskId: first?.InstanceRefreshTaskId,
                status: "Failed",
                detail: DETAIL,
            });

            box.sim.setScenario(GROUP, { failAtPercent: undefined });
            const retried = await box.pulumi("up");
            expect(retried.code).toBe(0);
            const starts = box.sim
                .callsTo("StartInstanceRefresh")
                .filter((c) => c.httpStatus === 200);
            expect(starts).toHaveLength(2);
            expect(starts[1]?.params.ClientToken).not.toBe(starts[0]?.params.ClientToken);
            expect(box.refreshState().outputs.status).toBe("Successful");
            expect(
                box.sim
                    .refreshes(GROUP)
                    .map((r) => r.Status)
                    .sort(),
            ).toEqual(["Failed", "Successful"]);
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "with onFailure rollback, a failed refresh is rolled back before pulumi up fails",
    async () => {
        const box = await sandbox({ failAtPercent: 50, failDetail: DETAIL });
        try {
            const run = await box.pulumi("up", { onFailure: "rollback" });
            expect(run.code).not.toBe(0);
            expect(box.sim.callsTo("RollbackInstanceRefresh")).toHaveLength(1);
            expect(run.output).toContain(
                `ended Failed: ${DETAIL}; the rollback ended RollbackSuccessful`,
            );
            expect(box.sim.refreshes(GROUP)[0]?.Status).toBe("RollbackSuccessful");
            expect(box.refreshState().outputs.status).toBe("RollbackSuccessful");
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "killing pulumi up mid-wait and running it again starts no second refresh",
    async () => {
        const box = await sandbox({ batchSeconds: 4 });
        try {
            const killed = await box.pulumi("up", {}, (out) =>
                /refresh ir-\w+: InProgress/.test(out),
            );
            expect(killed.signal).toBe("SIGKILL");
            expect(box.sim.refreshes(GROUP)).toHaveLength(1);
            expect(box.sim.refreshes(GROUP)[0]?.Status).not.toBe("Successful");

            // What the CLI tells the user to do after an interrupted update: remove its lock.
            expect((await box.pulumi("cancel")).code).toBe(0);
            const resumed = await box.pulumi("up");
            expect(resumed.code).toBe(0);
            const refreshes = box.sim.refreshes(GROUP);
            expect(refreshes).toHaveLength(1);
            expect(refreshes[0]?.Status).toBe("Successful");
            const tokens = new Set(
                box.sim.callsTo("StartInstanceRefresh").map((c) => c.params.ClientToken),
            );
            expect(tokens.size).toBe(1);
            expect(box.refreshState().outputs.instanceRefreshTaskId).toBe(
                refreshes[0]?.InstanceRefreshTaskId,
            );
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "a refresh left running at the timeout is recorded as running, and pulumi destroy cancels it",
    async () => {
        const box = await sandbox({ batchSeconds: 3600 });
        try {
            const run = await box.pulumi("up", { timeoutMinutes: 1, onTimeout: "leave" });
            expect(run.code).not.toBe(0);
            expect(run.output).toContain("did not finish within timeoutMinutes (1)");
            expect(run.output).toContain('it was left running (onTimeout: "leave")');
            expect(box.refreshState().outputs.status).toBe("InProgress");
            expect(box.sim.callsTo("CancelInstanceRefresh")).toHaveLength(0);

            // ESS takes a batch's time to cancel: make that short before destroying.
            box.sim.setScenario(GROUP, { batchSeconds: 2 });
            const destroy = await box.pulumi("destroy");
            expect(destroy.code).toBe(0);
            expect(box.sim.callsTo("CancelInstanceRefresh")).toHaveLength(1);
            expect(box.sim.refreshes(GROUP)[0]?.Status).toBe("Cancelled");
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "another refresh running on the group: onConflict fail names it and starts nothing; cancel replaces it",
    async () => {
        const box = await sandbox({ foreignRefresh: true, batchSeconds: 3600 });
        try {
            const [foreign] = box.sim.refreshes(GROUP);
            expect(foreign).toBeDefined();
            const refused = await box.pulumi("up", { onConflict: "fail" });
            expect(refused.code).not.toBe(0);
            expect(refused.output).toContain(`another refresh, ${foreign!.InstanceRefreshTaskId}`);
            expect(refused.output).toContain('nothing was started (onConflict: "fail")');
            expect(box.sim.refreshes(GROUP)).toHaveLength(1);

            box.sim.setScenario(GROUP, { pendingSeconds: 1, batchSeconds: 2 });
            const replaced = await box.pulumi("up", { onConflict: "cancel" });
            expect(replaced.code).toBe(0);
            expect(box.sim.callsTo("CancelInstanceRefresh")[0]?.params.InstanceRefreshTaskId).toBe(
                foreign!.InstanceRefreshTaskId,
            );
            const statuses = Object.fromEntries(
                box.sim.refreshes(GROUP).map((r) => [r.InstanceRefreshTaskId, r.Status]),
            );
            expect(statuses[foreign!.InstanceRefreshTaskId]).toBe("Cancelled");
            expect(box.refreshState().outputs.status).toBe("Successful");
        } finally {
            await box.stop();
        }
    },
);
