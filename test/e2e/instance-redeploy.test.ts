/**
 * alicloud.InstanceRedeploy with the real Pulumi CLI and a file backend, against the ECS simulator,
 * on examples/alicloud-maintenance: what `pulumi preview` / `up` print, what the simulator
 * received, what state holds.
 */
import { SANDBOX_ACCESS_KEY_SECRET } from "../../src/sandbox/ecs";
import { EcsSandbox } from "./harness";

jest.setTimeout(300_000);

const FLEET = ["i-web-1", "i-web-2", "i-web-3", "i-web-4"];

test.concurrent(
    "preview shows an update exactly when an event is open; up redeploys exactly those instances, one at a time",
    async () => {
        const box = await new EcsSandbox(FLEET.map((instanceId) => ({ instanceId }))).start();
        try {
            const config = { instanceIds: FLEET, maxConcurrent: 1 };
            const first = await box.pulumi("up", config);
            expect(first.code).toBe(0);
            expect(box.redeployCalls()).toBe(0);
            expect(first.outputs?.status).toBe("Succeeded");

            const quiet = await box.pulumi("preview", config);
            expect(quiet.code).toBe(0);
            expect(quiet.output).toMatch(/2 unchanged/);
            expect(quiet.output).not.toMatch(/to update/);

            const e2 = box.sim.addEvent("i-web-2", { eventType: "SystemMaintenance.Reboot" });
            const e3 = box.sim.addEvent("i-web-3", {
                eventType: "SystemMaintenance.Redeploy",
                status: "Inquiring",
            });
            box.sim.addEvent("i-web-4", {
                eventType: "SystemMaintenance.Reboot",
                status: "Executed",
            });
            const before = box.sim.calls.length;
            const preview = await box.pulumi("preview", config);
            expect(preview.code).toBe(0);
            expect(preview.output).toMatch(/1 to update/);
            expect(preview.output).toContain(
                `i-web-2 will be redeployed for SystemMaintenance.Reboot ${e2} (Scheduled`,
            );
            expect(preview.output).toContain(
                `i-web-3 will be redeployed for SystemMaintenance.Redeploy ${e3} (Inquiring`,
            );
            expect(preview.output).not.toContain("i-web-4 will be redeployed");
            const previewActions = new Set(box.sim.calls.slice(before).map((c) => c.action));
            expect(previewActions.has("RedeployInstance")).toBe(false);

            const up = await box.pulumi("up", config);
            expect(up.code).toBe(0);
            expect(box.redeployed()).toEqual(["i-web-2", "i-web-3"]);
            expect(up.output).toMatch(
                /i-web-2: redeployed \(task t-\S+ Finished, instance Running\)/,
            );
            expect(up.outputs?.redeployed).toEqual(["i-web-2", "i-web-3"]);
            // maxConcurrent 1: the second redeploy began after the first had finished.
            const [t1, t2] = box.sim.tasks().sort((a, b) => a.createdAt - b.createdAt);
            expect(t1 && t2).toBeTruthy();
            expect(t2!.createdAt).toBeGreaterThanOrEqual(t1!.finishedAt!);
            expect(box.sim.instance("i-web-2").status).toBe("Running");
            expect(box.sim.events("i-web-2").map((e) => e.EventCycleStatus)).toEqual(["Avoided"]);

            const state = box.redeployState();
            const instances = state.outputs.instances as Record<string, unknown>[];
            expect(instances.find((i) => i.instanceId === "i-web-3")).toMatchObject({
                outcome: "redeployed",
                taskStatus: "Finished",
                eventIds: [e3],
                statusAfter: "Running",
            });
            expect(instances.find((i) => i.instanceId === "i-web-1")?.outcome).toBe("skipped");

            const after = await box.pulumi("preview", config);
            expect(after.output).toMatch(/2 unchanged/);
            expect(box.stateText()).not.toContain(SANDBOX_ACCESS_KEY_SECRET);
            expect(up.output).not.toContain(SANDBOX_ACCESS_KEY_SECRET);
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "local-disk, dedicated-host and locked instances fail with their reasons while the others complete; the next up redoes only what is left",
    async () => {
        const event = [{ eventType: "SystemMaintenance.Reboot" }];
        const box = await new EcsSandbox([
            { instanceId: "i-db-1", localDisks: 2, events: event },
            { instanceId: "i-ddh-1", dedicatedHostId: "dh-bp1sandbox", events: event },
            { instanceId: "i-locked-1", securityLocked: true, events: event },
            { instanceId: "i-ok-1", events: event },
            { instanceId: "i-ok-2", status: "Stopped", events: event },
            { instanceId: "i-nostock-1", events: event },
            {
                instanceId: "i-sim-1",
                events: [{ eventType: "SystemMaintenance.Reboot", simulated: true }],
            },
        ]).start();
        box.sim.setScenario("i-nostock-1", {
            failWith: { code: "OperationDenied.NoStock", message: "No capacity left in the zone." },
        });
        // ECS's page gives the refusal's message as "%s": a wording that names nothing.
        box.sim.setScenario("i-sim-1", { simulatedRefusalMessage: "The operation is invalid." });
        try {
            const ids = [
                "i-db-1",
                "i-ddh-1",
                "i-locked-1",
                "i-ok-1",
                "i-ok-2",
                "i-nostock-1",
                "i-sim-1",
            ];
            const config = { instanceIds: ids, maxConcurrent: 2 };
            const failed = await box.pulumi("up", config);
            expect(failed.code).not.toBe(0);
            expect(failed.output).toContain("4 of 7 instances not redeployed");
            // Simulated events (CreateSimulatedSystemEvents): RedeployInstance refuses them; skipped,
            // known by the code whatever the message.
            expect(failed.output).toMatch(
                /i-sim-1: nothing to do: ECS refuses to redeploy it \(InvalidOperation\.RedeployInstance: The operation is invalid\.\).*CreateSimulatedSystemEvents/,
            );
            // A redeploy ECS accepted and then failed: the cloud's own code and message.
            expect(failed.output).toMatch(
                /i-nostock-1: OperationDenied.NoStock: redeploy t-\S+ Failed \(OperationDenied.NoStock: No capacity left in the zone.\)/,
            );
            expect(failed.output).toMatch(/i-db-1: it has local disks .*ERASES their data/);
            expect(failed.output).toContain("allowLocalDiskDataLoss: true");
            expect(failed.output).toMatch(
                /i-ddh-1: InvalidOperation.RedeployInstance: it runs on dedicated host dh-bp1sandbox/,
            );
            expect(failed.output).toMatch(
                /i-locked-1: InstanceLockedForSecurity: it is locked for security/,
            );
            // Refused instances are never touched: RedeployInstance was called for the others only.
            expect(box.redeployed().sort()).toEqual(["i-nostock-1", "i-ok-1", "i-ok-2"]);
            // ... and i-sim-1's, which ECS refused.
            expect(box.redeployCalls()).toBe(4);
            expect(box.sim.instance("i-db-1").localDisks.every((d) => !d.dataErased)).toBe(true);
            expect(box.sim.instance("i-ok-2").status).toBe("Running");

            const state = box.redeployState();
            expect(state.outputs.status).toBe("Failed");
            expect(state.outputs.failedInstanceIds).toEqual([
                "i-db-1",
                "i-ddh-1",
                "i-locked-1",
                "i-nostock-1",
            ]);
            expect(state.outputs.redeployedInstanceIds).toEqual(["i-ok-1", "i-ok-2"]);

            // Preview applies the preconditions it can read: it promises no redeploy up refuses.
            const calls = box.redeployCalls();
            const preview = await box.pulumi("preview", config);
            expect(preview.code).toBe(0);
            expect(preview.output).toMatch(
                /i-db-1 cannot be redeployed: it has local disks .*ERASES/,
            );
            expect(preview.output).toContain(
                "i-ddh-1 cannot be redeployed: it runs on dedicated host dh-bp1sandbox",
            );
            expect(preview.output).toContain(
                "i-locked-1 cannot be redeployed: it is locked for security",
            );
            expect(preview.output).toContain(
                "i-nostock-1 will be redeployed for SystemMaintenance.Reboot",
            );
            expect(preview.output).not.toContain("i-ok-1 will be redeployed");
            expect(box.redeployCalls()).toBe(calls);

            const again = await box.pulumi("up", {
                ...config,
                instanceIds: ["i-db-1", "i-ok-1", "i-ok-2"],
                allowLocalDiskDataLoss: true,
            });
            expect(again.code).toBe(0);
            expect(box.redeployed().sort()).toEqual(["i-db-1", "i-nostock-1", "i-ok-1", "i-ok-2"]);
            expect(box.sim.instance("i-db-1").localDisks.every((d) => d.dataErased)).toBe(true);
        } finally {
            await box.stop();
        }
    },
);

test.concurrent("a killed pulumi up redeploys nothing twice", async () => {
    const box = await new EcsSandbox(
        [
            { instanceId: "i-web-1", events: [{ eventType: "SystemMaintenance.Reboot" }] },
            { instanceId: "i-web-2", events: [{ eventType: "SystemMaintenance.Reboot" }] },
        ],
        // Long enough that i-web-1's redeploy is still under way when the next up, after the
        // kill and a `pulumi cancel`, looks at it, however slowly the CLI starts.
        { stopSeconds: 5, migrateSeconds: 90, startSeconds: 5 },
    ).start();
    try {
        const config = { instanceIds: ["i-web-1", "i-web-2"], maxConcurrent: 1 };
        const killed = await box.pulumi("up", config, (out) => /i-web-1: redeploying/.test(out));
        expect(killed.signal).toBe("SIGKILL");
        expect(box.redeployed()).toEqual(["i-web-1"]);
        expect((await box.pulumi("cancel")).code).toBe(0);

        const up = await box.pulumi("up", config);
        expect(up.code).toBe(0);
        expect(up.output).toMatch(/i-web-1: redeploy t-\S+ is already under way/);
        expect(box.redeployed()).toEqual(["i-web-1", "i-web-2"]);
        expect(box.sim.tasks()).toHaveLength(2);

        const third = await box.pulumi("up", config);
        expect(third.code).toBe(0);
        expect(box.redeployed()).toEqual(["i-web-1", "i-web-2"]);
    } finally {
        await box.stop();
    }
});

test.concurrent(
    "invalid input fails at preview naming the property and range, with no call",
    async () => {
        const box = await new EcsSandbox([{ instanceId: "i-web-1" }]).start();
        try {
            const r = await box.pulumi("preview", { instanceIds: ["i-web-1"], maxConcurrent: 500 });
            expect(r.code).not.toBe(0);
            expect(r.output).toContain("maxConcurrent must be an integer from 1 to 100; got 500");
            expect(box.sim.calls).toHaveLength(0);
        } finally {
            await box.stop();
        }
    },
);
