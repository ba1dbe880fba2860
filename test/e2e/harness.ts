import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ess";
import type { EssGroupSeed, EssScenario } from "../../src/sandbox/ess";

export const ROOT = path.resolve(__dirname, "..", "..");

/** What one `pulumi` operation printed and how it ended. */
export interface CliRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
    outputs?: Record<string, unknown>;
}

/** A simulator on 127.0.0.1 and a fresh file backend for one test's stack. */
export class Sandbox {
    readonly sim: EssSimulator;
    readonly stateDir: string;
    private endpoint = "";

    constructor(groups: EssGroupSeed[], scenario: EssScenario) {
        this.sim = new EssSimulator({ groups, scenario });
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-"));
    }

    async start(): Promise<this> {
        this.endpoint = (await this.sim.listen()).endpoint;
        return this;
    }

    async stop(): Promise<void> {
        await this.sim.close();
    }

    /** The stack's state file, as the file backend wrote it. */
    stateText(): string {
        return fs.readFileSync(
            path.join(this.stateDir, ".pulumi", "stacks", "rollout-sandbox", "dev.json"),
            "utf8",
        );
    }

    /** The InstanceRefresh resource in the state file. */
    refreshState(): {
        outputs: Record<string, unknown>;
        inputs: Record<string, unknown>;
        initErrors?: string[];
    } {
        const state = JSON.parse(this.stateText()) as {
            checkpoint: {
                latest: {
                    resources?: {
                        type: string;
                        outputs: Record<string, unknown>;
                        inputs: Record<string, unknown>;
                        initErrors?: string[];
                    }[];
                };
            };
        };
        const r = (state.checkpoint.latest.resources ?? []).find((x) =>
            x.type.endsWith("alicloud.InstanceRefresh"),
        );
        if (!r) {
            throw new Error("no InstanceRefresh in the state file");
        }
        return r;
    }

    /**
     * Runs `pulumi <command>` (the real CLI, through scripts/stack.js) on examples/sandbox with
     * `config`; with `killWhen`, kills the whole process group with SIGKILL as soon as the output
     * satisfies it.
     */
    pulumi(
        command: "preview" | "up" | "refresh" | "destroy" | "cancel",
        config: Record<string, string | number | boolean | object> = {},
        killWhen?: (output: string) => boolean,
    ): Promise<CliRun> {
        const args = ["scripts/stack.js", command, "--state", this.stateDir];
        for (const [k, v] of Object.entries({ "alicloud:region": "cn-hangzhou", ...config })) {
            args.push("--config", `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
        }
        const env = {
            ...process.env,
            ALIBABA_CLOUD_ESS_ENDPOINT: this.endpoint,
            ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
            AWS_EC2_METADATA_DISABLED: "true",
            ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
        };
        return new Promise((resolve, reject) => {
            const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true });
            let output = "";
            let killed = false;
            const onData = (chunk: Buffer): void => {
                output += chunk.toString();
                if (killWhen && !killed && killWhen(output)) {
                    killed = true;
                    process.kill(-child.pid!, "SIGKILL");
                }
            };
            child.stdout.on("data", onData);
            child.stderr.on("data", onData);
            child.on("error", reject);
            child.on("close", (code, signal) => {
                const m = /\nStack outputs: (\{[\s\S]*\})\s*$/.exec(output);
                resolve({
                    code,
                    signal,
                    output,
                    outputs: m ? (JSON.parse(m[1]!) as Record<string, unknown>) : undefined,
                });
            });
        });
    }
}

/** The access key secret the sandbox signs with: it must never appear in state or output. */
export const SECRET = SANDBOX_ACCESS_KEY_SECRET;

/** Mutating ESS actions: a preview must never send one. */
export const MUTATING = [
    "StartInstanceRefresh",
    "CancelInstanceRefresh",
    "SuspendInstanceRefresh",
    "ResumeInstanceRefresh",
    "RollbackInstanceRefresh",
];
