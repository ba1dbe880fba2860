/**
 * A refresh that takes longer than five minutes, waited on by one `pulumi up` with the real
 * engine: long waits inside a dynamic provider must neither hang nor be cut off.
 */
import { Sandbox } from "./harness";

const GROUP = "asg-sandbox-web";

test("one pulumi up whose refresh takes more than five minutes completes normally", async () => {
    // 6 instances at 80/120 % are replaced 2 at a time: 3 batches of 110 s, plus 1 s pending.
    const box = await new Sandbox([{ scalingGroupId: GROUP, capacity: 6 }], {
        pendingSeconds: 1,
        batchSeconds: 110,
    }).start();
    try {
        const run = await box.pulumi("up", { timeoutMinutes: 20 });
        expect(run.code).toBe(0);
        const [refresh] = box.sim.refreshes(GROUP);
        expect(refresh?.Status).toBe("Successful");
        // The premise: the refresh itself ran for more than five minutes.
        const ran = Date.parse(refresh!.EndTime!) - Date.parse(refresh!.StartTime);
        expect(ran).toBeGreaterThan(5 * 60_000);
        expect(run.output).toMatch(
            /refresh ir-\w+: Successful 6\/6 instances \(100%\) \[5m\d\ds\]/,
        );
        expect(box.refreshState().outputs.status).toBe("Successful");
        expect(box.sim.callsTo("StartInstanceRefresh")).toHaveLength(1);
    } finally {
        await box.stop();
    }
}, 900_000);
