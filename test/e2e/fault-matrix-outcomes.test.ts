/**
 * Fault matrix, outcomes the user must act on or wait for: a foreign refresh already running, a
 * refresh (or redeploy) that fails, a rollback that fails, a clock 20 minutes off, and missing or
 * invalid credentials. Red runs name the cause and what to do; the next `pulumi up`, once the
 * cause is gone, converges (see faults/matrix.ts).
 */
import { answered, matrix, type Row } from "./faults/matrix";
import type { TargetKind } from "./faults/targets";

jest.setTimeout(600_000);

const ALL: TargetKind[] = ["ess", "aws", "ecs", "essPolicy", "awsPolicy"];
const REFRESHES: TargetKind[] = ["ess", "aws"];
const ALIBABA = new Set<TargetKind>(["ess", "ecs", "essPolicy"]);

/**
 * The conflict rows: on ESS, which documents no code for it, refused with this project's guess,
 * ESS's generic OperationDenied, and a code no client knows; on AWS with its documented
 * InstanceRefreshInProgress, its generic ResourceInUse, and a code no client knows. The group's
 * refreshes decide, whatever the answer.
 */
const CONFLICTS: { kind: TargetKind; busyCode?: string }[] = [
    { kind: "ess" },
    { kind: "ess", busyCode: "OperationDenied" },
    { kind: "ess", busyCode: "SandboxUnknown.GroupBusy" },
    { kind: "aws" },
    { kind: "aws", busyCode: "ResourceInUse" },
    { kind: "aws", busyCode: "SandboxUnknown.GroupBusy" },
];

const rows: Row[] = [
    ...CONFLICTS.map(({ kind, busyCode }): Row => ({
        fault: "a foreign refresh already running",
        kind,
        expect:
            "onConflict wait: up waits for it, then starts its own" +
            (busyCode ? ` (the start refused with ${busyCode})` : ""),
        setup: { foreign: true, busyCode },
        steps: async ({ t, upInBackground, until }) => {
            const run = upInBackground({ onConflict: "wait" });
            // Once the up has been refused a start and has looked at what runs, the foreign
            // refresh's owner ends it.
            await until(() => {
                const calls = t.calls();
                const refused = calls.findIndex(
                    (c) => c.action === "StartInstanceRefresh" && c.httpStatus >= 400,
                );
                return (
                    refused >= 0 &&
                    calls.slice(refused).some((c) => c.action === "DescribeInstanceRefreshes")
                );
            }, "the up to find the foreign refresh running");
            t.endForeign();
            const done = await run;
            expect(done.code).toBe(0);
            expect(done.output).toMatch(/another refresh/);
            if (busyCode) {
                expect(
                    t
                        .calls()
                        .find((c) => c.action === "StartInstanceRefresh" && c.httpStatus >= 400)
                        ?.errorCode,
                ).toBe(busyCode);
            }
            t.assertConverged();
        },
    })),
    ...(["ess", "aws", "ecs"] as TargetKind[]).map((kind): Row => ({
        fault: "the operation fails",
        kind,
        expect: "up fails with the cloud's reason; state records it; the next up retries",
        starts: 2,
        steps: async ({ t, up }) => {
            t.scenario({ fail: true });
            const run = await up({ onFailure: "fail" });
            expect(run.code).not.toBe(0);
            expect(run.output).toMatch(kind === "ecs" ? /NoStock/ : /ended Failed: \S/);
        },
    })),
    ...REFRESHES.map((kind): Row => ({
        fault: "a rollback that fails",
        kind,
        expect: "up fails naming the failure and the failed rollback; the next up retries",
        starts: 2,
        steps: async ({ t, up }) => {
            t.scenario({ rollbackFails: true });
            const run = await up({ onFailure: "rollback" });
            expect(run.code).not.toBe(0);
            expect(run.output).toMatch(/RollbackFailed/);
        },
    })),
    ...ALL.map((kind): Row => ({
        fault: "a clock 20 minutes off",
        kind,
        expect: ALIBABA.has(kind)
            ? "refused at once, naming the clock and what to do"
            : "the AWS SDK corrects its clock from the answer; up is green",
        steps: async ({ t, up }) => {
            t.setFaults({ clockSkewSeconds: 20 * 60 });
            const run = await up();
            if (ALIBABA.has(kind)) {
                expect(run.code).not.toBe(0);
                expect(run.output).toContain("This machine's clock is too far from the cloud's");
                expect(answered(t, /InvalidTimeStamp/)).toBeLessThanOrEqual(2);
                expect(t.started()).toBe(0);
            } else {
                expect(run.code).toBe(0);
            }
        },
    })),
    ...ALL.map((kind): Row => ({
        fault: "missing credentials",
        kind,
        expect: "fails before any call, saying where credentials come from",
        steps: async ({ t, up }) => {
            const env = Object.fromEntries(t.credentialVars.map((v) => [v, undefined]));
            const run = await up({}, { env });
            expect(run.code).not.toBe(0);
            expect(run.output).toMatch(
                ALIBABA.has(kind)
                    ? /no Alibaba Cloud credentials found: set ALIBABA_CLOUD_ACCESS_KEY_ID/
                    : /No AWS credentials were found: set AWS_ACCESS_KEY_ID/,
            );
            expect(t.calls()).toEqual([]);
        },
    })),
    ...ALL.map((kind): Row => ({
        fault: "invalid credentials",
        kind,
        expect: "the refusal is named once, with what to do; nothing starts",
        steps: async ({ t, up }) => {
            const run = await up({}, { env: t.wrongSecret });
            expect(run.code).not.toBe(0);
            expect(run.output).toContain("The credentials were refused");
            expect(t.started()).toBe(0);
            expect(run.output).not.toContain(Object.values(t.wrongSecret)[0]);
        },
    })),
];

matrix("outcomes", rows);
