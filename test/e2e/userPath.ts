/**
 * The user's path on one Node.js line: the package as `npm pack` makes it, installed by
 * `npm install` (no links) with that line's @pulumi/pulumi into a Pulumi.yaml TypeScript project
 * made from examples/sandbox and examples/sandbox-aws; then `pulumi preview`, `up`, `up` again, a
 * failing `up` and `destroy` in the project folder, through the real CLI and the Node.js language
 * host, against the simulators. The user-path-node*.test.ts files run it on each supported line.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureNode } from "../../scripts/ensure-node";
import { ensureLanguageHost } from "../../scripts/ensure-pulumi";
import { createProject, installedCopies, pack } from "../../scripts/lib/userProject";
import {
    AWS_GROUP,
    AwsSandbox,
    CliRun,
    ROOT,
    Sandbox,
    SECRET,
    StackHarness,
    waitFor,
} from "./harness";
import { SANDBOX_AWS_SECRET_ACCESS_KEY } from "../../src/sandbox/autoscaling";

/** A supported line: a Node.js major and the @pulumi/pulumi a program on it installs. */
export interface Line {
    node: number;
    pulumi: string;
    /**
     * Warnings a user of this line sees that do not come from pulumi-rollout: a line of the
     * output it shows, the words README uses to explain it, and the examples whose runs show it
     * (it must be seen there, so a warning gone away is noticed); any other warning fails.
     */
    knownWarnings?: { line: RegExp; readme: string; examples: string[] }[];
}

/** The @pulumi/pulumi this checkout develops against (the lockfile's): the latest release. */
export const LATEST_PULUMI = (
    JSON.parse(
        fs.readFileSync(
            path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"),
            "utf8",
        ),
    ) as { version: string }
).version;

const ESS_DETAIL = "2 instances failed to start: the image m-sandbox-image-v3 cannot boot";
const AWS_REASON = "Instances failed to pass health checks";

interface Prepared {
    tools: { nodeDir: string; binDirs: string[] };
    nodeVersion: string;
    tarball: string;
    work: string;
}

/** What a user reading the output would take as a problem with their toolchain. */
const TOOLCHAIN_TROUBLE = /warning|EBADENGINE|incompatible versions|not supported|unsupported/i;

export function describeUserPath(line: Line): void {
    let prepared: Promise<Prepared> | undefined;
    let work: string | undefined;
    /** One Node.js, CLI, language host and package for the file's tests (asked by each test). */
    const prepare = (): Promise<Prepared> =>
        (prepared ??= (async () => {
            const node = ensureNode(line.node);
            const host = ensureLanguageHost();
            work = fs.mkdtempSync(path.join(os.tmpdir(), `rollout-user-node${line.node}-`));
            return {
                tools: { nodeDir: node.dir, binDirs: [...new Set([host.cli.dir, host.dir])] },
                nodeVersion: node.version,
                tarball: pack(work),
                work,
            };
        })());
    afterAll(() => {
        if (work) {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });

    /** The project of `example`, installed as a user installs it, and its stack set up. */
    async function userProject(
        box: StackHarness,
        example: string,
    ): Promise<{
        runs: CliRun[];
        /** `pulumi <args>` in the project (recorded in `runs`). */
        pulumi: (...args: string[]) => Promise<CliRun>;
    }> {
        const { tools, tarball, work, nodeVersion } = await prepare();
        expect(nodeVersion).toMatch(new RegExp(`^v${line.node}\\.`));
        const dir = path.join(work, example);
        const project = await createProject({
            example,
            dir,
            tarball,
            pulumiVersion: line.pulumi,
            nodeDir: tools.nodeDir,
        });
        if (project.install.code !== 0) {
            throw new Error(`npm install failed:\n${project.install.output}`);
        }
        // The program says which Node.js ran it (the language host takes the first on PATH).
        fs.appendFileSync(
            path.join(dir, "index.ts"),
            "\n// Added by the user-path test: which Node.js ran the program.\n" +
                "export const nodeVersion = process.version;\n",
        );
        expect(project.install.output).not.toMatch(/EBADENGINE|ERESOLVE/);
        // Exactly one SDK in the program's tree: the user's, which pulumi-rollout shares.
        expect(installedCopies(dir)).toEqual([
            expect.stringMatching(/^node_modules\/@pulumi\/pulumi@/),
        ]);
        const [copy] = installedCopies(dir);
        expect(copy?.split("@").pop()).toMatch(
            new RegExp(
                `^${line.pulumi.replace(/^[~^]/, "").split(".").slice(0, 2).join("\\.")}\\.`,
            ),
        );
        // The policy documents README points to ship with the package.
        for (const doc of ["aws-iam.json", "alicloud-ram.json"]) {
            expect(
                fs.existsSync(path.join(dir, "node_modules", "pulumi-rollout", "policies", doc)),
            ).toBe(true);
        }
        // The package came from its tarball, not a link to this checkout.
        expect(
            fs.lstatSync(path.join(dir, "node_modules", "pulumi-rollout")).isSymbolicLink(),
        ).toBe(false);
        const init = await box.initUserStack(dir, tools);
        const runs = [project.install, ...init];
        const pulumi = async (...args: string[]): Promise<CliRun> => {
            const run = await box.userPulumi(dir, args, tools);
            runs.push(run);
            return run;
        };
        return { runs, pulumi };
    }

    /** `pulumi preview` shows the refresh to create and makes no cloud call at all. */
    async function previewCreates(
        pulumi: (...args: string[]) => Promise<CliRun>,
        calls: () => unknown[],
        type: string,
    ): Promise<void> {
        const preview = await pulumi("preview");
        expect(preview.code).toBe(0);
        expect(preview.output).toMatch(
            new RegExp(
                `\\+\\s+pulumi-nodejs:dynamic/rollout:${type.replace(".", "\\.")}\\s+web\\s+create`,
            ),
        );
        expect(calls()).toEqual([]);
    }

    const known = line.knownWarnings ?? [];
    /** The lines of `output` a user would take as toolchain trouble, less the known warnings. */
    const trouble = (output: string): string[] => {
        const lines = output.split("\n").filter((l) => TOOLCHAIN_TROUBLE.test(l));
        const unexplained = lines.filter((l) => !known.some((k) => k.line.test(l)));
        // Node's hint after a warning it printed, when every such warning is a known one.
        return unexplained.length < lines.length
            ? unexplained.filter((l) => !l.includes("(Use `node --trace-warnings ...`"))
            : unexplained;
    };

    test("the warnings this line shows that pulumi-rollout cannot prevent are explained in README", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const k of known) {
            expect(readme).toContain(k.readme);
        }
    });

    /**
     * The checks every run of the path ends with: no warning but the line's known ones, each of
     * those seen where it is expected; the program ran on the line's Node.js; no secret anywhere.
     */
    async function endsClean(
        box: StackHarness,
        example: string,
        runs: CliRun[],
        secret: string,
    ): Promise<void> {
        for (const run of runs) {
            expect(trouble(run.output)).toEqual([]);
            expect(run.output).not.toContain(secret);
        }
        const all = runs.map((r) => r.output).join("\n");
        for (const k of known.filter((w) => w.examples.includes(example))) {
            expect(all).toMatch(k.line);
        }
        expect(all).toMatch(new RegExp(`nodeVersion\\s*:\\s*"v${line.node}\\.`));
        expect(box.stateText()).not.toContain(secret);
        // No provider process outlives the runs that started it.
        await waitFor(
            () => box.leftoverProcesses().length === 0,
            "provider processes to exit",
            15_000,
        );
    }

    describe(`Node.js ${line.node} with @pulumi/pulumi ${line.pulumi}, the user's own pulumi up of a Pulumi.yaml project`, () => {
        // A hang guard, not a time goal: on 2 shared cores one of these tests (npm install, then
        // seven CLI runs, each type-checking the program) takes 430-560 s, and a CI run whose
        // machine is busier went past 600 s.
        jest.setTimeout(1_200_000);

        test.concurrent(
            "ESS (examples/sandbox): preview, up waits for the refresh, up again changes nothing, a failing up fails with ESS's reason, destroy is clean",
            async () => {
                const box = await new Sandbox(
                    [{ scalingGroupId: "asg-sandbox-web", capacity: 6 }],
                    {
                        pendingSeconds: 1,
                        batchSeconds: 2,
                    },
                ).start();
                try {
                    const { runs, pulumi } = await userProject(box, "sandbox");
                    const starts = (): number =>
                        box.sim.callsTo("StartInstanceRefresh").filter((c) => c.httpStatus === 200)
                            .length;
                    await previewCreates(pulumi, () => box.sim.calls, "alicloud.InstanceRefresh");

                    const up = await pulumi("up", "--yes");
                    expect(up.code).toBe(0);
                    expect(starts()).toBe(1);
                    const [refresh] = box.sim.refreshes("asg-sandbox-web");
                    expect(refresh?.Status).toBe("Successful");
                    const progress =
                        up.output.match(
                            /refresh ir-\w+: (Pending|InProgress|Successful) \d+\/6 instances/g,
                        ) ?? [];
                    expect(progress.some((l) => l.includes("InProgress"))).toBe(true);
                    expect(progress[progress.length - 1]).toContain("Successful 6/6 instances");
                    expect(up.output).toMatch(/refresh ir-\w+ succeeded in/);
                    expect(up.output).toMatch(/status\s*:\s*"Successful"/);
                    expect(box.refreshState().outputs).toMatchObject({
                        instanceRefreshTaskId: refresh?.InstanceRefreshTaskId,
                        status: "Successful",
                        finishedUpdateCapacity: 6,
                    });

                    const again = await pulumi("up", "--yes", "--expect-no-changes");
                    expect(again.code).toBe(0);
                    expect(again.output).toMatch(/2 unchanged/);
                    expect(starts()).toBe(1);

                    box.sim.setScenario("asg-sandbox-web", {
                        pendingSeconds: 1,
                        batchSeconds: 2,
                        failAtPercent: 50,
                        failDetail: ESS_DETAIL,
                    });
                    const failed = await pulumi(
                        "up",
                        "--yes",
                        "--config",
                        "imageId=m-sandbox-image-v3",
                    );
                    expect(failed.code).not.toBe(0);
                    expect(failed.output).toContain(`ended Failed: ${ESS_DETAIL}`);
                    expect(starts()).toBe(2);
                    const second = box.sim
                        .refreshes("asg-sandbox-web")
                        .find((r) => r.InstanceRefreshTaskId !== refresh?.InstanceRefreshTaskId);
                    expect(second?.Status).toBe("Failed");
                    expect(box.refreshState().outputs).toMatchObject({
                        instanceRefreshTaskId: second?.InstanceRefreshTaskId,
                        status: "Failed",
                    });

                    const destroy = await pulumi("destroy", "--yes");
                    expect(destroy.code).toBe(0);
                    expect(destroy.output).toMatch(/2 deleted/);
                    expect(box.stateText()).not.toContain("alicloud.InstanceRefresh");
                    await endsClean(box, "sandbox", runs, SECRET);
                } finally {
                    await box.stop();
                }
            },
        );

        test.concurrent(
            "AWS (examples/sandbox-aws): preview, up waits for the refresh, up again changes nothing, a failing up fails with AWS's reason, destroy is clean",
            async () => {
                const box = await new AwsSandbox({}).start();
                try {
                    const { runs, pulumi } = await userProject(box, "sandbox-aws");
                    await previewCreates(pulumi, () => box.sim.calls, "aws.InstanceRefresh");

                    const up = await pulumi("up", "--yes");
                    expect(up.code).toBe(0);
                    expect(box.starts()).toBe(1);
                    const [refresh] = box.sim.refreshes(AWS_GROUP);
                    expect(refresh?.Status).toBe("Successful");
                    expect(up.output).toMatch(/refresh [\w-]+: InProgress \d+%/);
                    expect(up.output).toMatch(/refresh [\w-]+: Successful 100%/);
                    expect(box.sim.group(AWS_GROUP).launchTemplate).toMatchObject({ version: "2" });
                    expect(box.refreshState().outputs).toMatchObject({
                        instanceRefreshId: refresh?.InstanceRefreshId,
                        status: "Successful",
                    });

                    const calls = box.sim.calls.length;
                    const again = await pulumi("up", "--yes", "--expect-no-changes");
                    expect(again.code).toBe(0);
                    expect(again.output).toMatch(/2 unchanged/);
                    expect(box.sim.calls.length).toBe(calls);

                    box.sim.setScenario(AWS_GROUP, {
                        pendingSeconds: 1,
                        batchSeconds: 2,
                        failAtPercent: 50,
                        failReason: AWS_REASON,
                    });
                    const failed = await pulumi(
                        "up",
                        "--yes",
                        "--config",
                        "launchTemplateVersion=3",
                    );
                    expect(failed.code).not.toBe(0);
                    expect(failed.output).toMatch(/ended Failed/);
                    expect(failed.output).toContain(AWS_REASON);
                    expect(box.starts()).toBe(2);
                    const second = box.sim
                        .refreshes(AWS_GROUP)
                        .find((r) => r.InstanceRefreshId !== refresh?.InstanceRefreshId);
                    expect(second?.Status).toBe("Failed");
                    expect(box.refreshState().outputs).toMatchObject({
                        instanceRefreshId: second?.InstanceRefreshId,
                        status: "Failed",
                    });

                    const destroy = await pulumi("destroy", "--yes");
                    expect(destroy.code).toBe(0);
                    expect(destroy.output).toMatch(/2 deleted/);
                    expect(box.stateText()).not.toContain("aws.InstanceRefresh");
                    await endsClean(box, "sandbox-aws", runs, SANDBOX_AWS_SECRET_ACCESS_KEY);
                } finally {
                    await box.stop();
                }
            },
        );
    });
}
