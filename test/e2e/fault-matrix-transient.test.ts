/**
 * Fault matrix, transient faults: throttling and 5xx bursts, a connection reset mid-response,
 * 10 s latency, and the endpoint unreachable for 2 minutes mid-wait. Each ends with a green
 * `pulumi up` that never shows the fault and starts one operation (see faults/matrix.ts).
 */
import { answered, matrix, type Row } from "./faults/matrix";
import type { TargetKind } from "./faults/targets";

jest.setTimeout(600_000);

const ALL: TargetKind[] = ["ess", "aws", "ecs", "essPolicy", "awsPolicy"];
const OPERATIONS: TargetKind[] = ["ess", "aws", "ecs"];

const rows: Row[] = [
    ...ALL.map((kind): Row => ({
        fault: "throttling burst",
        kind,
        expect: "4 throttled answers are waited out; up is green",
        steps: async ({ t, up }) => {
            t.setFaults({ throttleNext: 4 });
            const run = await up();
            expect(run.code).toBe(0);
            expect(answered(t, /Throttl/)).toBe(4);
        },
    })),
    ...ALL.map((kind): Row => ({
        fault: "InternalError/503 burst",
        kind,
        expect: "2 InternalError and 2 ServiceUnavailable answers are retried; up is green",
        steps: async ({ t, up }) => {
            t.setFaults({ internalErrorNext: 2, serviceUnavailableNext: 2 });
            const run = await up();
            expect(run.code).toBe(0);
            expect(answered(t, /Internal|Unavailable/)).toBe(4);
        },
    })),
    ...ALL.map((kind): Row => ({
        fault: "connection reset mid-response",
        kind,
        expect: "the reset call's effect is found, not repeated; up is green",
        steps: async ({ t, up }) => {
            // Operations: the start call is carried out and its answer cut. Policies: their reads.
            t.setFaults(
                t.startAction ? { resetNext: 1, actions: [t.startAction] } : { resetNext: 2 },
            );
            const run = await up();
            expect(run.code).toBe(0);
        },
    })),
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

matrix("transient", rows);
describe("outages", () => matrix("outage", outages));
