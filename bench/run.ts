/**
 * `npm run bench [-- <part> ...]`: runs the named parts (default: all), prints each part's
 * markdown, and writes bench/results.json and docs/benchmarks.md. Parts: polling (1), engine (2,
 * engine overhead), scale (3), footprint (4, which reuses part 3's run when both are selected) and
 * rehearsal (5, rehearsing faster than real time).
 */
import { join } from "node:path";
import { enginePart } from "./engine";
import { footprintPart } from "./footprint";
import { pollingPart } from "./polling";
import { rehearsalPart } from "./rehearsal";
import { scalePart } from "./scale";
import { type BenchPart, machine, writeResults, writeSection } from "./report";

const PARTS: BenchPart[] = [pollingPart, enginePart, scalePart, footprintPart, rehearsalPart];

/** The repository root (this file runs from dist-bench/bench/). */
const ROOT = join(__dirname, "..", "..");

async function main(argv: string[]): Promise<void> {
    const names = argv.filter((a) => !a.startsWith("-"));
    const unknown = names.filter((n) => !PARTS.some((p) => p.name === n));
    if (unknown.length > 0) {
        throw new Error(
            `unknown bench part(s): ${unknown.join(", ")}; parts: ${PARTS.map((p) => p.name).join(", ")}`,
        );
    }
    const selected = names.length > 0 ? PARTS.filter((p) => names.includes(p.name)) : PARTS;
    const m = machine();
    for (const part of selected) {
        const started = process.hrtime.bigint();
        const result = await part.run();
        const date = new Date().toISOString();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        writeResults(join(ROOT, "bench", "results.json"), part.name, result.rows, m, date);
        writeSection(join(ROOT, "docs", "benchmarks.md"), part.name, result.markdown, m, date);
        console.log(result.markdown);
        console.log(`\n(${part.name}: ${seconds.toFixed(1)} s of real time)\n`);
    }
    console.log("wrote bench/results.json and docs/benchmarks.md");
}

main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
});
