/**
 * Part 2 of `npm run bench`: engine overhead. `pulumi preview` and a no-change `pulumi up` of a
 * stack of 50 alicloud.InstanceRefresh resources (against the ESS simulator) against the same
 * stack of 50 minimal no-op dynamic resources, with the real Pulumi CLI, interleaved in one run;
 * and the serialized provider each resource carries in the state file.
 */
import { EssSimulator, SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "../src/sandbox/ess";
import { type ProviderProcess, watchProviders } from "./engine/procs";
import { BenchStack, median, type StackRun, type StateFile } from "./engine/stacks";
import type { BenchPart, PartResult } from "./report";

export const ENGINE_RESOURCES = 50;
const REPEATS = 3;
export const GOALS = { timeRatio: 1.25, planRatio: 1.5, providerBytes: 16 * 1024 };

export interface EngineRow {
    metric: string;
    /** The InstanceRefresh stack's figure. */
    rollout: number;
    /** The no-op stack's figure (the anchor). */
    anchor: number;
    unit: string;
    ratio?: number;
    goal?: string;
    met?: boolean;
    /** Every repetition, for timings. */
    runs?: { rollout: number[]; anchor: number[] };
}

/** What the footprint part reuses: the anchor stack's provider process on its first `up`. */
export interface NoopFootprint {
    process?: ProviderProcess;
    firstCreateMs?: number;
    upSeconds: number;
}
export let noopFootprint: NoopFootprint | undefined;

/** UTF-8 bytes of each resource's serialized provider (`__provider`) of `type` in the state. */
function providerBytes(state: StateFile, type: RegExp): number[] {
    return (state.checkpoint.latest?.resources ?? [])
        .filter((r) => type.test(r.type))
        .map((r) => {
            const p = r.inputs?.["__provider"] ?? r.outputs?.["__provider"];
            return typeof p === "string" ? Buffer.byteLength(p, "utf8") : 0;
        });
}

function timed(label: string, r: StackRun): number {
    console.log(`  ${label}: ${r.seconds.toFixed(2)} s`);
    return r.seconds;
}

async function run(): Promise<PartResult<EngineRow>> {
    const groups = Array.from({ length: ENGINE_RESOURCES }, (_, i) => ({
        scalingGroupId: `asg-engine-${i}`,
        capacity: 2,
    }));
    const sim = new EssSimulator({ groups, scenario: { pendingSeconds: 0, batchSeconds: 1 } });
    const { endpoint } = await sim.listen();
    const refresh = new BenchStack(
        "engine-refresh",
        "refreshes",
        { "alicloud:region": "cn-hangzhou", count: ENGINE_RESOURCES, groupPrefix: "asg-engine-" },
        {
            ALIBABA_CLOUD_ESS_ENDPOINT: endpoint,
            ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
        },
    );
    const noop = new BenchStack("engine-noop", "noop", { count: ENGINE_RESOURCES });
    const parallel = ENGINE_RESOURCES;
    try {
        console.log(`engine: creating both stacks (${ENGINE_RESOURCES} resources each)`);
        await refresh.must("up", parallel);
        const watch = watchProviders();
        const first = await noop.must("up", parallel);
        const procs = watch.stop();
        noopFootprint = {
            process: procs[0],
            firstCreateMs: Number(first.outputs?.["firstCreateMs"]) || undefined,
            upSeconds: first.seconds,
        };
        const times = {
            preview: { rollout: [] as number[], anchor: [] as number[] },
            up: { rollout: [] as number[], anchor: [] as number[] },
        };
        sim.reset();
        for (let i = 0; i < REPEATS; i++) {
            // Alternate which stack goes first, so drift on the machine falls on both.
            const order =
                i % 2 === 0 ? (["rollout", "anchor"] as const) : (["anchor", "rollout"] as const);
            for (const cmd of ["preview", "up"] as const) {
                for (const which of order) {
                    const stack = which === "rollout" ? refresh : noop;
                    const r = await stack.must(cmd, parallel);
                    if (cmd === "up" && !/(\d+ )?unchanged/.test(r.output)) {
                        throw new Error(
                            `the no-change up of ${stack.name} changed something:\n${r.output}`,
                        );
                    }
                    times[cmd][which].push(timed(`${cmd} ${stack.name} #${i + 1}`, r));
                }
            }
        }
        const callsDuringTimedRuns = sim.calls.length;
        // Preview with plans: a changed trigger makes every refresh's diff start one, so each
        // reads its group (read-only) and prints its plan.
        refresh.configure({ release: "2" });
        const planned: number[] = [];
        const beforePlans = sim.calls.length;
        for (let i = 0; i < REPEATS; i++) {
            const r = await refresh.must("preview", parallel);
            const plans = r.output.match(/InstanceRefresh refresh-\d+: plan: replace/g) ?? [];
            if (new Set(plans).size !== ENGINE_RESOURCES) {
                throw new Error(
                    `preview printed ${new Set(plans).size} plans, not ${ENGINE_RESOURCES}:\n${r.output.slice(-4000)}`,
                );
            }
            planned.push(timed(`preview with plans ${refresh.name} #${i + 1}`, r));
        }
        const planCalls = sim.calls.slice(beforePlans);
        if (planCalls.some((c) => !c.action.startsWith("Describe"))) {
            throw new Error("a preview with plans made a call that is not a Describe");
        }
        refresh.configure({ release: "1" });
        const rBytes = providerBytes(refresh.state(), /InstanceRefresh/);
        const aBytes = providerBytes(noop.state(), /Noop|dynamic:Resource/);
        const rows: EngineRow[] = [];
        for (const cmd of ["preview", "up"] as const) {
            const r = median(times[cmd].rollout);
            const a = median(times[cmd].anchor);
            rows.push({
                metric: cmd === "preview" ? "pulumi preview" : "no-change pulumi up",
                rollout: r,
                anchor: a,
                unit: "s (median)",
                ratio: r / a,
                goal: `≤ ${GOALS.timeRatio}× the no-op stack`,
                met: r / a <= GOALS.timeRatio,
                runs: times[cmd],
            });
        }
        const plain = median(times.preview.rollout);
        rows.push({
            metric: `pulumi preview with plans (a changed trigger: ${ENGINE_RESOURCES} plans; anchor: the same stack's preview without)`,
            rollout: median(planned),
            anchor: plain,
            unit: "s (median)",
            ratio: median(planned) / plain,
            goal: `≤ ${GOALS.planRatio}× the preview without plans`,
            met: median(planned) / plain <= GOALS.planRatio,
            runs: { rollout: planned, anchor: times.preview.rollout },
        });
        rows.push({
            metric: "Describe calls per plan",
            rollout: planCalls.length / (ENGINE_RESOURCES * REPEATS),
            anchor: 0,
            unit: "calls",
        });
        const rMax = Math.max(...rBytes);
        rows.push({
            metric: "serialized provider per resource (largest)",
            rollout: rMax,
            anchor: Math.max(...aBytes),
            unit: "bytes",
            ratio: rMax / Math.max(...aBytes),
            goal: `≤ ${GOALS.providerBytes} bytes (16 KiB)`,
            met: rMax <= GOALS.providerBytes,
        });
        rows.push({
            metric: "resources with a serialized provider in state",
            rollout: rBytes.length,
            anchor: aBytes.length,
            unit: "count",
        });
        rows.push({
            metric: "cloud API calls during the timed previews and no-change ups",
            rollout: callsDuringTimedRuns,
            anchor: 0,
            unit: "calls",
        });
        return { rows, markdown: markdown(rows) };
    } finally {
        await sim.close();
        refresh.dispose();
        noop.dispose();
    }
}

const fmt = (v: number, unit: string): string =>
    unit.startsWith("s") ? v.toFixed(2) : String(Math.round(v));

function markdown(rows: EngineRow[]): string {
    const lines = [
        "## Part 2: engine overhead (real Pulumi CLI)",
        "",
        `Two stacks run by the real Pulumi CLI (${"`scripts/lib/stack.js`"} \`runStack\`, an Automation API inline program, a file backend), ` +
            `${ENGINE_RESOURCES} resources each, \`--parallel ${ENGINE_RESOURCES}\`: ` +
            `**rollout**: ${ENGINE_RESOURCES} \`alicloud.InstanceRefresh\` on ${ENGINE_RESOURCES} groups of the ESS simulator (bench/programs/refreshes.ts); ` +
            `**anchor**: ${ENGINE_RESOURCES} minimal no-op dynamic resources (a provider with only \`create\`, bench/programs/noop.ts). ` +
            `Both are created once; then, ${REPEATS} times and alternating which stack goes first, a \`pulumi preview\` and a no-change \`pulumi up\` of each. ` +
            "Times are the CLI operation only (not selecting the stack or setting its config); the table gives the medians, every run is in bench/results.json. " +
            "The provider size is the `__provider` string each resource carries in the state file (UTF-8 bytes).",
        "",
        "| metric | InstanceRefresh stack | anchor: no-op stack | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ];
    for (const r of rows) {
        lines.push(
            `| ${r.metric} (${r.unit}) | ${fmt(r.rollout, r.unit)} | ${fmt(r.anchor, r.unit)} | ${
                r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : ""
            } | ${r.goal ?? ""} | ${r.met === undefined ? "" : r.met ? "✓" : "✗"} |`,
        );
    }
    const timing = rows.filter((r) => r.runs);
    lines.push("", "Every run, s:", "");
    for (const r of timing) {
        lines.push(
            `- ${r.metric}: InstanceRefresh ${r.runs!.rollout.map((v) => v.toFixed(2)).join(", ")}; no-op ${r
                .runs!.anchor.map((v) => v.toFixed(2))
                .join(", ")}`,
        );
    }
    return lines.join("\n");
}

export const enginePart: BenchPart<EngineRow> = {
    name: "engine",
    title: "engine overhead",
    run,
};
