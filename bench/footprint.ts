/**
 * Part 4 of `npm run bench`: footprint. The dynamic provider process of the ESS scale run (part
 * 3's `pulumi up` of 100 refreshes; run here if part 3 did not run in this process): its peak
 * memory (VmHWM) and its cold start (process start → the first API call the simulator received).
 * Anchor: the provider process of the engine part's first `up` of 50 no-op dynamic resources
 * (process start → the first `create`), when that part ran in this process.
 */
import { noopFootprint } from "./engine";
import { essScaleRun, REFRESHES } from "./scale";
import type { BenchPart, PartResult } from "./report";

export interface FootprintRow {
    metric: string;
    value: string;
    anchor: string;
}

const mib = (kib: number | undefined): string =>
    kib === undefined ? "n/a" : `${(kib / 1024).toFixed(1)} MiB`;

async function run(): Promise<PartResult<FootprintRow>> {
    const ess = await essScaleRun();
    const p = ess.provider;
    const a = noopFootprint;
    const anchorCold =
        a?.process && a.firstCreateMs
            ? `${((a.firstCreateMs - a.process.startMs) / 1000).toFixed(2)} s`
            : "n/a (run with the engine part)";
    const rows: FootprintRow[] = [
        {
            metric: "provider processes seen during the up",
            value: p ? "1 (pid " + p.pid + `, ${p.samples} samples every 100 ms)` : "none found",
            anchor: a?.process ? `1 (pid ${a.process.pid})` : "n/a",
        },
        {
            metric: "peak memory (VmHWM) of the provider process",
            value: mib(p?.peakRssKiB),
            anchor: a?.process
                ? `${mib(a.process.peakRssKiB)} (no-op stack, 50 resources)`
                : "n/a (run with the engine part)",
        },
        {
            metric: "cold start: process start → first API call",
            value:
                p && ess.firstCallMs
                    ? `${((ess.firstCallMs - p.startMs) / 1000).toFixed(2)} s`
                    : "n/a",
            anchor: `${anchorCold} (no-op stack: process start → first create)`,
        },
        {
            metric: "up start → provider process start",
            value: p ? `${((p.startMs - ess.upStartMs) / 1000).toFixed(2)} s` : "n/a",
            anchor: a?.process ? "" : "",
        },
    ];
    return { rows, markdown: markdown(rows) };
}

function markdown(rows: FootprintRow[]): string {
    const lines = [
        "## Part 4: footprint",
        "",
        `The dynamic provider process (\`node …/@pulumi/pulumi/cmd/dynamic-provider\`, a descendant of the bench process, started by the pulumi CLI through \`pulumi-resource-pulumi-nodejs\`) during part 3's \`pulumi up\` of ${REFRESHES} refreshes, ` +
            "sampled from /proc every 100 ms: peak resident memory is VmHWM from /proc/<pid>/status; the process start is /proc/<pid>/stat starttime (10 ms ticks); the first API call is the simulator's receive time of the first request. " +
            "Anchor: the provider process of part 2's first `up` of 50 no-op dynamic resources (whose `create` records when it ran).",
        "",
        "| metric | value | anchor |",
        "|---|---|---|",
    ];
    for (const r of rows) {
        lines.push(`| ${r.metric} | ${r.value} | ${r.anchor} |`);
    }
    return lines.join("\n");
}

export const footprintPart: BenchPart<FootprintRow> = {
    name: "footprint",
    title: "footprint",
    run,
};
