/**
 * Fault matrix, slow transient faults: every answer 10 s late, and the endpoint unreachable for
 * 2 minutes mid-wait (a file of their own, beside fault-matrix-transient.test.ts, because they
 * take longest). Each ends with a green `pulumi up` that starts one operation (see faults/matrix.ts).
 */
import { matrix, type Row } from "./faults/matrix";
import type { TargetKind } from "./faults/targets";

jest.setTimeout(600_000);

const OPERATIONS: TargetKind[] = ["ess", "aws", "ecs"];

const rows: Row[] = [
    ...OPERATIONS.map((kind): Row => ({
        fault: "10 s response latency",
        kind,
        expect: "every answer 10 s late; up is green",
        steps: async ({ t, up }) => {
            t.setFaults({ latencyMs: 10_000 });
            const run = await up();
            expect(run.code).toBe(0);
        },
    })),
];

const outages: Row[] = OPERATIONS.map((kind): Row => ({
    fault: "endpoint unreachable for 2 minutes mid-wait",
    kind,
    expect: "the wait goes on through refused connections and ends green",
    steps: async ({ t, upInBackground, until }) => {
        t.scenario({ slow: true });
        const start = t.startAction!;
        const run = upInBackground();
        await until(
            () => t.running() && t.calls().some((c) => c.action === start),
            "the operation to be under way",
        );
        await t.box.outage(120_000);
        const done = await run;
        expect(done.code).toBe(0);
    },
}));

matrix("latency", rows);
describe("outages", () => matrix("outage", outages));
