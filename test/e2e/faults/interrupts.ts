/**
 * The fault matrix's interruptions: `pulumi up` interrupted by SIGINT (Ctrl-C, a cancelled CI job)
 * or killed by SIGKILL at each phase: before the start call returns, right after it, mid-wait and
 * during a rollback. Nothing is started twice; state names only what the cloud has; the next
 * `pulumi up` (after `pulumi cancel` removes the lock) converges (see matrix.ts). One test file per
 * signal, so that the two run side by side.
 */
import type { Row, RowContext } from "./matrix";
import type { TargetKind } from "./targets";

export type Signal = "SIGKILL" | "SIGINT";

export type Phase =
    | "before the start call returns"
    | "right after the start call"
    | "mid-wait"
    | "during a rollback";

export const PHASES: Phase[] = [
    "before the start call returns",
    "right after the start call",
    "mid-wait",
    "during a rollback",
];

/** Sets the phase up, and says when it has been reached. */
function arm(
    ctx: RowContext,
    phase: Phase,
): { config: Record<string, unknown>; reached: () => boolean } {
    const { t } = ctx;
    const start = t.startAction!;
    const calls = (action: string, ok = false) =>
        t.calls().filter((c) => c.action === action && (!ok || c.httpStatus === 200));
    switch (phase) {
        case "before the start call returns":
            // The start call is carried out, and its answer held back 8 s.
            t.setFaults({ latencyMs: 8000, actions: [start] });
            return { config: {}, reached: () => calls(start).length > 0 };
        case "right after the start call":
            return { config: {}, reached: () => calls(start, true).length > 0 };
        case "mid-wait":
            t.scenario({ slow: true });
            return {
                config: {},
                reached: () => {
                    const all = t.calls();
                    const at = all.findIndex((c) => c.action === start && c.httpStatus === 200);
                    return at >= 0 && all.length > at + 2 && t.running();
                },
            };
        case "during a rollback":
            t.scenario({ fail: true, slow: true });
            return {
                config: { onFailure: "rollback" },
                // ESS: RollbackInstanceRefresh was called; AWS: its AutoRollback began.
                reached: () => t.rollingBack(),
            };
    }
}

/**
 * A way of declaring the resource, for the rows that prove our refresh is recognized whatever was
 * declared: with or without a desired configuration, with or without preferences (example config).
 */
export interface Declaration {
    name: string;
    config: Record<string, unknown>;
}

export function rows(
    kind: TargetKind,
    phases: Phase[],
    signal: Signal,
    declared?: Declaration,
): Row[] {
    return phases.map((phase): Row => ({
        fault: `${signal} ${phase}${declared ? `, ${declared.name}` : ""}`,
        kind,
        convergeConfig: declared?.config,
        expect:
            signal === "SIGINT"
                ? "pulumi waits for the operation in flight and records it"
                : phase === "during a rollback"
                  ? "the next up reports how that refresh ended; the one after converges"
                  : "the next up adopts what was started",
        // A rollback ends the intended change; converging takes a new one.
        starts: phase === "during a rollback" ? 2 : 1,
        steps: async (ctx) => {
            const { config, reached } = arm(ctx, phase);
            const run = await ctx.up(
                { ...declared?.config, ...config },
                { interruptWhen: reached, signal },
            );
            expect(run.code).not.toBe(0);
            // The interrupted up's provider processes end: a killed one's, its engine gone, does
            // not wait on for nobody (src/core/engineGone.ts).
            await ctx.until(
                () => ctx.t.box.leftoverProcesses().length === 0,
                "the interrupted up's provider processes to exit",
                180_000,
            );
            ctx.t.setFaults({});
            if (phase === "during a rollback" && signal === "SIGKILL") {
                // The killed up never saw how its change ended: the next one reports it
                // (the same refresh, rolled back) before another up makes a new change.
                ctx.t.scenario({});
                await ctx.t.box.pulumi("cancel");
                const told = await ctx.up(declared?.config);
                expect(told.code).not.toBe(0);
                expect(told.output).toMatch(/ended Rollback(Successful|Failed)/);
            }
        },
    }));
}

/**
 * The declarations the refreshes must recognize their own refresh under after a kill, besides the
 * examples' own (a desired configuration and preferences): AWS has no idempotency token, so its
 * refresh is told apart by what AWS echoes of it (src/resources/awsInstanceRefresh/taskApi.ts);
 * ESS's ClientToken does not depend on them.
 */
export const DECLARATIONS: { kind: TargetKind; declared: Declaration }[] = [
    {
        kind: "aws",
        declared: {
            name: "no desiredConfiguration, no preferences",
            config: { desiredConfiguration: false, preferences: false },
        },
    },
    {
        kind: "aws",
        declared: {
            name: "no desiredConfiguration, with preferences",
            config: { desiredConfiguration: false, skipMatching: false, minHealthyPercentage: 75 },
        },
    },
    {
        kind: "aws",
        declared: {
            name: "a desiredConfiguration, no preferences",
            config: { preferences: false },
        },
    },
    { kind: "ess", declared: { name: "no preferences", config: { preferences: false } } },
];

/** The phases where the start's answer is lost to the kill: our refresh must be found again. */
const LOST_ANSWER: Phase[] = ["before the start call returns", "right after the start call"];

/**
 * The interruption rows of one signal: every phase of the refreshes, the redeploy's first three;
 * with SIGKILL, also the lost-answer phases under each of {@link DECLARATIONS}.
 */
export function interruptRows(signal: Signal): Row[] {
    return [
        ...rows("ess", PHASES, signal),
        ...rows("aws", PHASES, signal),
        ...rows("ecs", PHASES.slice(0, 3), signal),
        ...(signal === "SIGKILL"
            ? DECLARATIONS.flatMap((d) => rows(d.kind, LOST_ANSWER, signal, d.declared))
            : []),
    ];
}
