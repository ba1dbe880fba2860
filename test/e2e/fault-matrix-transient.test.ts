/**
 * Fault matrix, transient faults: throttling and 5xx bursts, and a connection reset mid-response
 * (the slow ones, latency and an outage, are in fault-matrix-latency.test.ts). Each ends with a
 * green `pulumi up` that never shows the fault and starts one operation (see faults/matrix.ts).
 */
import { answered, matrix, type Row } from "./faults/matrix";
import type { TargetKind } from "./faults/targets";

jest.setTimeout(600_000);

const ALL: TargetKind[] = ["ess", "aws", "ecs", "essPolicy", "awsPolicy"];

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
];

matrix("transient", rows);
