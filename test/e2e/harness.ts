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
import type { AsgGroupSeed, AsgScenario } from "../../src/sandbox/autoscaling";
import { EcsSimulator } from "../../src/sandbox/ecs";
import * as userProject from "../../scripts/lib/userProject";
import { listenOnHeldPort, type HeldPort } from "./ports";
import type { EcsInstanceSeed, EcsScenario } from "../../src/sandbox/ecs";

export const ROOT = path.resolve(__dirname, "..", "..");

/** What one `pulumi` operation printed and how it ended. */
export interface CliRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
    outputs?: Record<string, unknown>;
}

/** How {@link StackHarness.pulumi} interrupts a run, and what it changes in its environment. */
export interface RunOptions {
    /**
     * Interrupts the run as soon as this holds: it is asked on every chunk of output and every
     * 100 ms (so it may look at the simulator too).
     */
    interruptWhen?: (output: string) => boolean;
    /**
     * SIGKILL (default): the whole process group dies at once, as when a CI runner is killed.
     * SIGINT: sent to the command alone, as Ctrl-C or a cancelled CI job would.
     */
    signal?: "SIGKILL" | "SIGINT";
    /** Environment changes for this run; undefined removes a variable. */
    env?: Record<string, string | undefined>;
}

/** Waits (real time, looking every 100 ms) until `cond` holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(
    cond: () => boolean,
    what: string,
    timeoutMs = 120_000,
): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}

/** A simulator a harness can take off the network and bring back on the same port. */
interface Listening {
    listen(port?: number): Promise<unknown>;
    close(): Promise<void>;
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

    /** The harness's simulator (for outages). */
    protected abstract simulator(): Listening;

    /** The simulator's port, once started: held for this harness until it stops (./ports.ts). */
    protected port = 0;
    private held?: HeldPort;

    /** Starts the simulator on a held port, so that an outage can give it back. */
    protected async listen<T extends { port: number }>(
        listen: (port: number) => Promise<T>,
    ): Promise<T> {
        const { listening, held } = await listenOnHeldPort(listen);
        this.held = held;
        this.port = listening.port;
        return listening;
    }

    /** Ends what is left and takes the simulator off the network for good. */
    protected async finish(): Promise<void> {
        this.endLeftovers();
        try {
            await this.simulator().close();
        } finally {
            this.held?.release();
            this.held = undefined;
        }
    }

    /**
     * Takes the simulator off the network for `ms` (connections refused), then brings it back on
     * the same port; resolves when it is back.
     */
    async outage(ms: number): Promise<void> {
        await this.simulator().close();
        await new Promise((r) => setTimeout(r, ms));
        await this.simulator().listen(this.port);
    }

    /**
     * The processes this stack's CLI runs started that are still alive (the provider processes,
     * found by the PULUMI_HOME the runs give them): none once every run has ended, a killed one
     * included (src/core/engineGone.ts).
     */
    leftoverProcesses(): number[] {
        const home = `PULUMI_HOME=${path.join(this.stateDir, ".pulumi-home")}`;
        const pids: number[] = [];
        for (const entry of fs.readdirSync("/proc")) {
            const pid = Number(entry);
            if (!Number.isInteger(pid) || pid === process.pid) {
                continue;
            }
            try {
                const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
                if (!cmdline.includes("dynamic-provider")) {
                    continue;
                }
                const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
                if (environ.includes(home)) {
                    pids.push(pid);
                }
            } catch {
                // ended meanwhile
            }
        }
        return pids;
    }

    /** Ends what is left (a test that failed midway must not load the rest of the suite). */
    protected endLeftovers(): void {
        for (const pid of this.leftoverProcesses()) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // ended meanwhile
            }
        }
    }

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
     * Runs `pulumi <args>` as a user does: in the Pulumi.yaml project folder `dir`, through the
     * Node.js language host, with the Node.js of `line.nodeDir` first on PATH, then the CLI's and
     * the language host's folders; this stack's backend, endpoints and credentials.
     */
    async userPulumi(
        dir: string,
        args: string[],
        line: { nodeDir: string; binDirs: string[] },
        opts: { interruptWhen?: (output: string) => boolean; signal?: "SIGKILL" | "SIGINT" } = {},
    ): Promise<CliRun> {
        const run = await userProject.pulumi({
            dir,
            args,
            nodeDir: line.nodeDir,
            binDirs: line.binDirs,
            stateDir: this.stateDir,
            env: this.env(),
            ...opts,
        });
        return run;
    }

    /**
     * `pulumi stack init dev` and this stack's config (the region, then `config`) in the project
     * folder `dir`, as a user sets a stack up; fails with what the CLI printed. Resolves with the
     * runs.
     */
    async initUserStack(
        dir: string,
        line: { nodeDir: string; binDirs: string[] },
        config: Record<string, string> = {},
    ): Promise<CliRun[]> {
        const pairs = Object.entries({ ...this.baseConfig(), ...config }).flatMap(([k, v]) => [
            "--plaintext",
            `${k}=${v}`,
        ]);
        const runs: CliRun[] = [];
        for (const args of [
            ["stack", "init", "dev"],
            ["config", "set-all", ...pairs],
        ]) {
            const run = await this.userPulumi(dir, args, line);
            if (run.code !== 0) {
                throw new Error(`pulumi ${args.join(" ")} failed:\n${run.output}`);
            }
            runs.push(run);
        }
        return runs;
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
        opts: RunOptions = {},
    ): Promise<CliRun> {
        const interruptWhen = opts.interruptWhen ?? killWhen;
        const signal = opts.signal ?? "SIGKILL";
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
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            ...this.env(),
            AWS_EC2_METADATA_DISABLED: "true",
            ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
        };
        for (const [k, v] of Object.entries(opts.env ?? {})) {
            if (v === undefined) {
                delete env[k];
            } else {
                env[k] = v;
            }
        }
        return new Promise((resolve, reject) => {
            const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true });
            let output = "";
            let interrupted = false;
            const check = (): void => {
                if (interruptWhen && !interrupted && interruptWhen(output)) {
                    interrupted = true;
                    if (signal === "SIGKILL") {
                        process.kill(-child.pid!, "SIGKILL");
                    } else {
                        child.kill("SIGINT");
                    }
                }
            };
            const timer = interruptWhen ? setInterval(check, 100) : undefined;
            const onData = (chunk: Buffer): void => {
                output += chunk.toString();
                check();
            };
            child.stdout.on("data", onData);
            child.stderr.on("data", onData);
            child.on("error", reject);
            child.on("close", (code, signal) => {
                clearInterval(timer);
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
    /** The simulator's endpoint for the stack (with its pace, if any), once started. */
    endpoint = "";

    /** `timeScale`: the world runs that many times faster, and the stack keeps its pace. */
    constructor(groups: EssGroupSeed[], scenario: EssScenario, opts: { timeScale?: number } = {}) {
        super("sandbox");
        this.sim = new EssSimulator({ groups, scenario, timeScale: opts.timeScale });
    }

    async start(): Promise<this> {
        ({ stackEndpoint: this.endpoint } = await this.listen((p) => this.sim.listen(p)));
        return this;
    }

    stop(): Promise<void> {
        return this.finish();
    }

    protected simulator(): Listening {
        return this.sim;
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
    /** The simulator's endpoint for the stack (with its pace, if any), once started. */
    endpoint = "";

    constructor(
        scenario: AsgScenario,
        group: Partial<Omit<AsgGroupSeed, "autoScalingGroupName" | "launchTemplate">> = {},
        opts: { timeScale?: number } = {},
    ) {
        super("sandbox-aws");
        this.sim = new AutoScalingSimulator({
            timeScale: opts.timeScale,
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
                    ...group,
                    autoScalingGroupName: AWS_GROUP,
                    capacity: group.capacity ?? 4,
                    launchTemplate: { launchTemplateId: AWS_LT, version: "1" },
                },
            ],
            scenario: { pendingSeconds: 1, batchSeconds: 2, ...scenario },
        });
    }

    async start(): Promise<this> {
        ({ stackEndpoint: this.endpoint } = await this.listen((p) => this.sim.listen(p)));
        return this;
    }

    stop(): Promise<void> {
        return this.finish();
    }

    protected simulator(): Listening {
        return this.sim;
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

/** The ECS simulator on 127.0.0.1 and a stack of examples/alicloud-maintenance. */
export class EcsSandbox extends StackHarness {
    readonly sim: EcsSimulator;
    /** The simulator's endpoint for the stack (with its pace, if any), once started. */
    endpoint = "";

    constructor(instances: EcsInstanceSeed[], scenario: EcsScenario = {}) {
        super("alicloud-maintenance");
        this.sim = new EcsSimulator({
            instances,
            scenario: { stopSeconds: 1, migrateSeconds: 2, startSeconds: 1, ...scenario },
        });
    }

    async start(): Promise<this> {
        ({ stackEndpoint: this.endpoint } = await this.listen((p) => this.sim.listen(p)));
        return this;
    }

    stop(): Promise<void> {
        return this.finish();
    }

    protected simulator(): Listening {
        return this.sim;
    }

    redeployState(): ReturnType<StackHarness["resourceState"]> {
        return this.resourceState("alicloud.InstanceRedeploy");
    }

    /** Instances RedeployInstance was accepted for, in order. */
    redeployed(): string[] {
        return this.sim.calls
            .filter((c) => c.action === "RedeployInstance" && c.httpStatus === 200)
            .map((c) => c.params.InstanceId ?? "");
    }

    /** RedeployInstance calls of any outcome. */
    redeployCalls(): number {
        return this.sim.calls.filter((c) => c.action === "RedeployInstance").length;
    }

    protected env(): Record<string, string> {
        return {
            ALIBABA_CLOUD_ECS_ENDPOINT: this.endpoint,
            ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
        };
    }

    protected baseConfig(): Record<string, string> {
        return { "alicloud:region": "cn-hangzhou" };
    }
}
