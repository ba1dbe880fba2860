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
import {
    AutoScalingSimulator,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "../../src/sandbox/autoscaling";
import type { AsgLifecycleHookSeed, AsgScenario } from "../../src/sandbox/autoscaling";

export const ROOT = path.resolve(__dirname, "..", "..");

/** What one `pulumi` operation printed and how it ended. */
export interface CliRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
    outputs?: Record<string, unknown>;
}

/** A fresh file backend for one test's stack of an example, run with the real Pulumi CLI. */
export abstract class StackHarness {
    readonly stateDir: string;

    constructor(readonly example: string) {
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-"));
    }

    /** Environment for the CLI and the provider process: endpoints and credentials. */
    protected abstract env(): Record<string, string>;

    /** Stack config every run sets (e.g. the region). */
    protected abstract baseConfig(): Record<string, string>;

    /** The stack's state file, as the file backend wrote it. */
    stateText(): string {
        const file = path.join(
            this.stateDir,
            ".pulumi",
            "stacks",
            `rollout-${this.example}`,
            "dev.json",
        );
        return fs.readFileSync(file, "utf8");
    }

    /** The stack's one refresh resource (of `typeSuffix`) in the state file. */
    resourceState(typeSuffix: string): {
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
            x.type.endsWith(typeSuffix),
        );
        if (!r) {
            throw new Error(`no ${typeSuffix} in the state file`);
        }
        return r;
    }

    /**
     * Runs `pulumi <command>` (the real CLI, through scripts/stack.js) on the example with
     * `config`; with `killWhen`, kills the whole process group with SIGKILL as soon as the output
     * satisfies it.
     */
    pulumi(
        command: "preview" | "up" | "refresh" | "destroy" | "cancel",
        config: Record<string, string | number | boolean | object> = {},
        killWhen?: (output: string) => boolean,
    ): Promise<CliRun> {
        const args = [
            "scripts/stack.js",
            command,
            "--example",
            this.example,
            "--state",
            this.stateDir,
        ];
        for (const [k, v] of Object.entries({ ...this.baseConfig(), ...config })) {
            args.push("--config", `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
        }
        const env = {
            ...process.env,
            ...this.env(),
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

/** The ESS simulator on 127.0.0.1 and a stack of examples/sandbox. */
export class Sandbox extends StackHarness {
    readonly sim: EssSimulator;
    /** The simulator's endpoint, once started. */
    endpoint = "";

    constructor(groups: EssGroupSeed[], scenario: EssScenario) {
        super("sandbox");
        this.sim = new EssSimulator({ groups, scenario });
    }

    async start(): Promise<this> {
        this.endpoint = (await this.sim.listen()).endpoint;
        return this;
    }

    async stop(): Promise<void> {
        await this.sim.close();
    }

    /** The InstanceRefresh resource in the state file. */
    refreshState(): ReturnType<StackHarness["resourceState"]> {
        return this.resourceState("alicloud.InstanceRefresh");
    }

    protected env(): Record<string, string> {
        return {
            ALIBABA_CLOUD_ESS_ENDPOINT: this.endpoint,
            ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
        };
    }

    protected baseConfig(): Record<string, string> {
        return { "alicloud:region": "cn-hangzhou" };
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

/** The sandbox-aws example's group and launch template. */
export const AWS_GROUP = "sandbox-web";
export const AWS_LT = "lt-0123456789abcdef0";

/** The Auto Scaling simulator on 127.0.0.1 and a stack of examples/sandbox-aws. */
export class AwsSandbox extends StackHarness {
    readonly sim: AutoScalingSimulator;
    /** The simulator's endpoint, once started. */
    endpoint = "";

    constructor(
        scenario: AsgScenario,
        group: { capacity?: number; lifecycleHooks?: AsgLifecycleHookSeed[] } = {},
    ) {
        super("sandbox-aws");
        this.sim = new AutoScalingSimulator({
            launchTemplates: [
                {
                    launchTemplateId: AWS_LT,
                    launchTemplateName: "sandbox-web",
                    versions: 3,
                    defaultVersion: 1,
                },
            ],
            groups: [
                {
                    autoScalingGroupName: AWS_GROUP,
                    capacity: group.capacity ?? 4,
                    lifecycleHooks: group.lifecycleHooks,
                    launchTemplate: { launchTemplateId: AWS_LT, version: "1" },
                },
            ],
            scenario: { pendingSeconds: 1, batchSeconds: 2, ...scenario },
        });
    }

    async start(): Promise<this> {
        this.endpoint = (await this.sim.listen()).endpoint;
        return this;
    }

    stop(): Promise<void> {
        return this.sim.close();
    }

    refreshState(): ReturnType<StackHarness["resourceState"]> {
        return this.resourceState("aws.InstanceRefresh");
    }

    starts(): number {
        return this.sim.callsTo("StartInstanceRefresh").filter((c) => c.httpStatus === 200).length;
    }

    protected env(): Record<string, string> {
        return {
            AWS_ENDPOINT_URL_AUTO_SCALING: this.endpoint,
            AWS_ENDPOINT_URL_EC2: this.endpoint,
            AWS_ACCESS_KEY_ID: SANDBOX_AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_SECRET_ACCESS_KEY,
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        };
    }

    protected baseConfig(): Record<string, string> {
        return { "aws:region": "us-east-1" };
    }
}
