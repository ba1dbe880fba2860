/**
 * Runs the bench programs (bench/programs/, compiled into dist-bench/) with the real Pulumi CLI
 * through scripts/lib/stack.js (the tests' Automation API runner). The project folder sits in
 * dist-bench/work/, so the provider process resolves `pulumi-rollout` to dist-bench (linked by
 * scripts/bench.js), never to dist/.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The repository root (this file runs from dist-bench/bench/engine/). */
export const ROOT = join(__dirname, "..", "..", "..");
const DIST_BENCH = join(ROOT, "dist-bench");

export type Command = "preview" | "up" | "destroy";

export interface StackRun {
    ok: boolean;
    output: string;
    outputs?: Record<string, unknown>;
    error?: string;
    /** The operation itself, s. */
    seconds: number;
}

interface RunStackOptions {
    command: Command;
    example: string;
    programModule: string;
    workDir: string;
    stateDir: string;
    config?: Record<string, string>;
    env?: Record<string, string>;
    parallel?: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackLib = require(join(ROOT, "scripts", "lib", "stack.js")) as {
    runStack(o: RunStackOptions): Promise<StackRun>;
    stateFile(stateDir: string, example: string, stack?: string): string;
};

/** One bench stack: a program, its own state folder and project folder. */
export class BenchStack {
    readonly stateDir: string;

    constructor(
        /** Names the project (rollout-<name>) and its folder. */
        readonly name: string,
        /** A module of bench/programs/, without extension. */
        private readonly program: string,
        private config: Record<string, string | number>,
        private readonly env: Record<string, string> = {},
    ) {
        this.stateDir = mkdtempSync(join(tmpdir(), `rollout-bench-${name}-`));
    }

    run(command: Command, parallel?: number): Promise<StackRun> {
        return stackLib.runStack({
            command,
            example: this.name,
            programModule: join(DIST_BENCH, "bench", "programs", `${this.program}.js`),
            workDir: join(DIST_BENCH, "work", this.name),
            stateDir: this.stateDir,
            config: Object.fromEntries(Object.entries(this.config).map(([k, v]) => [k, String(v)])),
            env: {
                AWS_EC2_METADATA_DISABLED: "true",
                ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
                ...this.env,
            },
            parallel,
        });
    }

    /** Sets (or changes) stack config values for the next runs. */
    configure(extra: Record<string, string | number>): void {
        this.config = { ...this.config, ...extra };
    }

    /** Runs `command` and throws with the CLI's output when it fails. */
    async must(command: Command, parallel?: number): Promise<StackRun> {
        const r = await this.run(command, parallel);
        if (!r.ok) {
            throw new Error(
                `pulumi ${command} of ${this.name} failed: ${r.error ?? ""}\n${r.output.slice(-4000)}`,
            );
        }
        return r;
    }

    /** The stack's state file (a file backend's JSON checkpoint). */
    state(): StateFile {
        return JSON.parse(
            readFileSync(stackLib.stateFile(this.stateDir, this.name), "utf8"),
        ) as StateFile;
    }

    /** Deletes the state folder. */
    dispose(): void {
        rmSync(this.stateDir, { recursive: true, force: true });
    }
}

export interface StateResource {
    urn: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export interface StateFile {
    checkpoint: { latest?: { resources?: StateResource[] } };
}

/** The median of some numbers. */
export function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
