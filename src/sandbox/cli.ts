#!/usr/bin/env node
/**
 * pulumi-rollout-sandbox: runs the ESS simulator (with --asg-groups, the EC2 Auto Scaling
 * simulator, and with --ecs-instances, the ECS simulator too) on 127.0.0.1 for offline rehearsals.
 *
 *   pulumi-rollout-sandbox [--port N] [--groups asg-web:6,asg-api:4] [--region cn-hangzhou]
 *                          [--batch-seconds N] [--time-scale K]
 *                          [--asg-groups web:4,api:2] [--asg-port N] [--aws-region us-east-1]
 *                          [--launch-template-versions N]
 *                          [--ecs-instances i-web1,i-web2:Stopped] [--ecs-port N]
 *                          [--ecs-event SystemMaintenance.Reboot|none]
 *
 * Prints one JSON line {"endpoint","accessKeyId","accessKeySecret","region"} once listening
 * (with --asg-groups, also "aws": {"endpoint","accessKeyId","secretAccessKey","region",
 * "launchTemplateId","launchTemplateName"}; with --ecs-instances, also "ecs": {"endpoint",
 * "accessKeyId","accessKeySecret","region","instances"}), then one human-readable line per call
 * received. The Auto Scaling groups start on version 1 of one launch template that has
 * --launch-template-versions versions (default 2). The ECS instances (in --region, Running
 * unless ":Stopped") each have one Scheduled system event of type --ecs-event (default
 * SystemMaintenance.Reboot, NotBefore in 3 days; "none" for no event). Stops cleanly on
 * SIGINT/SIGTERM.
 */
import {
    type AsgGroupSeed,
    AutoScalingSimulator,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "./autoscaling";
import { type EcsInstanceSeed, EcsSimulator } from "./ecs";
import {
    type EssGroupSeed,
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "./ess";
import { MAX_TIME_SCALE, ScaledClock } from "./clock";

/** The launch template the sandbox's Auto Scaling groups use. */
export const SANDBOX_LAUNCH_TEMPLATE_ID = "lt-0123456789abcdef0";
/** Its name. */
export const SANDBOX_LAUNCH_TEMPLATE_NAME = "sandbox-launch-template";

/** Parsed command-line options. */
export interface SandboxCliOptions {
    port: number;
    groups: EssGroupSeed[];
    region: string;
    batchSeconds: number;
    /** --time-scale: every simulator's world runs this many times faster than real time (default 1). */
    timeScale?: number;
    /** --busy-code: the code ESS's simulator refuses a start on a busy group with (default its own). */
    busyCode?: string;
    /** --nothing-to-refresh-code: its answer to a start with nothing to refresh (a code, or "accept"). */
    nothingToRefreshCode?: string;
    /** --unsupported-code: the code it refuses a group StartInstanceRefresh does not support with. */
    unsupportedCode?: string;
    /** Set when --asg-groups is given: the Auto Scaling simulator runs too. */
    aws?: {
        port: number;
        region: string;
        groups: AsgGroupSeed[];
        launchTemplateVersions: number;
        /** --asg-busy-code: the code its simulator refuses a start on a busy group with. */
        busyCode?: string;
    };
    /** Set when --ecs-instances is given: the ECS simulator runs too (in --region). */
    ecs?: {
        port: number;
        instances: EcsInstanceSeed[];
        /** --ecs-refusal-message: the message of the refusal to redeploy for a simulated event. */
        simulatedRefusalMessage?: string;
    };
}

const USAGE =
    "usage: pulumi-rollout-sandbox [--port N] [--groups id:capacity,...] " +
    "[--region REGION] [--batch-seconds N] [--time-scale K] [--busy-code CODE] " +
    "[--nothing-to-refresh-code CODE|accept] [--unsupported-code CODE] [--asg-groups name:capacity,...] [--asg-port N] " +
    "[--aws-region REGION] [--launch-template-versions N] [--asg-busy-code CODE] " +
    "[--ecs-instances id[:Stopped],...] [--ecs-port N] [--ecs-event TYPE|none] [--ecs-refusal-message TEXT]";

/** What --help prints after the usage line: every flag, its default, the output, how it stops. */
export const HELP = [
    "Runs simulators of Alibaba Cloud ESS (always), EC2 Auto Scaling (with --asg-groups) and",
    "Alibaba Cloud ECS (with --ecs-instances) on 127.0.0.1, for rehearsing stacks offline.",
    "",
    "ESS:",
    "  --port N                     port of the ESS simulator (default 0: any free port)",
    "  --groups id:capacity,...     scaling groups and their instance counts (default asg-sandbox-web:6);",
    "                               a group of 4 or more has one instance in Standby and one",
    "                               protected (a refresh skips them), as real groups do",
    "  --region REGION              region of the ESS groups and ECS instances (default cn-hangzhou)",
    "  --batch-seconds N            seconds each refresh batch takes, on both clouds (default 5)",
    "  --time-scale K               every simulator's time runs K times faster than real time",
    "                               (1 to 1000, default 1); the endpoints printed carry the pace",
    "                               (?timeScale=K&timeOrigin=...) a stack's provider keeps",
    "  --busy-code CODE             the error code a start on a group with a running refresh gets",
    "                               (ESS documents none; default InstanceRefreshInProgress)",
    "  --nothing-to-refresh-code CODE|accept  the answer to a start with nothing to refresh (ESS",
    "                               documents none; default InvalidInstance.NoInstanceNeedBeRefreshed;",
    "                               accept: a task that ends Successful at once)",
    "  --unsupported-code CODE      the code a start on a group refreshes do not support gets",
    "                               (ESS documents none; default OperationDenied)",
    "EC2 Auto Scaling (only with --asg-groups):",
    "  --asg-groups name:capacity,...  Auto Scaling groups, on version 1 of one launch template",
    "                               (in a group of 4 or more, the last instance already runs the",
    "                               template's latest version: skipMatching keeps it)",
    "  --asg-port N                 port of the Auto Scaling simulator (default 0: any free port)",
    "  --aws-region REGION          its region (default us-east-1)",
    "  --launch-template-versions N versions of the launch template (default 2)",
    "  --asg-busy-code CODE         the error code a start on a group with a running refresh gets",
    "                               (default AWS's documented InstanceRefreshInProgress)",
    "ECS (only with --ecs-instances):",
    "  --ecs-instances id[:Stopped],...  instances (Running unless :Stopped), each with one",
    "                               scheduled system event",
    "  --ecs-port N                 port of the ECS simulator (default 0: any free port)",
    "  --ecs-event TYPE|none        that event's type (default SystemMaintenance.Reboot, due in",
    "                               3 days; none: no event)",
    "  --ecs-refusal-message TEXT   the message of ECS's refusal to redeploy an instance for a",
    '                               simulated event (its page gives only "%s"; default the simulator\'s)',
    "  -h, --help                   this text",
    "",
    "Once listening it prints one JSON line: endpoint, accessKeyId, accessKeySecret and region of",
    'ESS; with --asg-groups also "aws" (endpoint, accessKeyId, secretAccessKey, region,',
    'launchTemplateId, launchTemplateName); with --ecs-instances also "ecs" (endpoint,',
    "accessKeyId, accessKeySecret, region, instances). Then one line per call received. It runs",
    "until Ctrl-C (SIGINT) or SIGTERM, and then stops cleanly. Each simulator's admin API is under",
    "/_sandbox/ on its endpoint (calls, refreshes, scenario, faults; see README).",
].join("\n");

export const FLAGS = [
    "--port",
    "--groups",
    "--region",
    "--batch-seconds",
    "--time-scale",
    "--busy-code",
    "--nothing-to-refresh-code",
    "--unsupported-code",
    "--asg-groups",
    "--asg-port",
    "--aws-region",
    "--launch-template-versions",
    "--asg-busy-code",
    "--ecs-instances",
    "--ecs-port",
    "--ecs-event",
    "--ecs-refusal-message",
];

/** A flag's error code (letters, digits and dots, as cloud codes are), when given. */
function errorCode(flags: Map<string, string>, flag: string): string | undefined {
    const code = flags.get(flag);
    if (code !== undefined && !/^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(code)) {
        throw new Error(`${flag} expects an error code such as OperationDenied, got "${code}"`);
    }
    return code;
}

function nonNegativeInt(flag: string, value: string, max: number): number {
    if (!/^\d+$/.test(value) || Number(value) > max) {
        throw new Error(`${flag} must be an integer from 0 to ${max}, got "${value}"`);
    }
    return Number(value);
}

function parseGroupList(flag: string, value: string): { name: string; capacity: number }[] {
    return value
        .split(",")
        .filter((s) => s.trim() !== "")
        .map((spec) => {
            const m = /^([^:\s]+):(\d+)$/.exec(spec.trim());
            if (!m || m[1] === undefined || m[2] === undefined) {
                throw new Error(`${flag} expects name:capacity[,name:capacity...], got "${spec}"`);
            }
            return { name: m[1], capacity: Number(m[2]) };
        });
}

function parseGroups(value: string, region: string): EssGroupSeed[] {
    return parseGroupList("--groups", value).map((g) => ({
        scalingGroupId: g.name,
        capacity: g.capacity,
        regionId: region,
        // Instances in varied states, so that a preview's plan has something to say.
        ...(g.capacity >= 4 ? { standbyInstances: 1, protectedInstances: 1 } : {}),
    }));
}

function parseEcsInstances(value: string, region: string, eventType: string): EcsInstanceSeed[] {
    return value
        .split(",")
        .filter((s) => s.trim() !== "")
        .map((spec) => {
            const m = /^(i-[A-Za-z0-9-]+)(?::(Running|Stopped))?$/.exec(spec.trim());
            if (!m || m[1] === undefined) {
                throw new Error(
                    `--ecs-instances expects i-id[:Running|:Stopped][,...], got "${spec}"`,
                );
            }
            const seed: EcsInstanceSeed = { instanceId: m[1], regionId: region };
            if (m[2] === "Stopped") {
                seed.status = "Stopped";
            }
            if (eventType !== "none") {
                seed.events = [{ eventType }];
            }
            return seed;
        });
}

function checkRegion(flag: string, region: string): string {
    if (!/^[a-z0-9-]+$/.test(region)) {
        throw new Error(`${flag} looks wrong: "${region}"`);
    }
    return region;
}

/** Parses argv (without node and script); throws with a readable message on bad input. */
export function parseArgs(argv: string[]): SandboxCliOptions {
    const flags = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] ?? "";
        const eq = arg.indexOf("=");
        const name = eq > 0 ? arg.slice(0, eq) : arg;
        if (!FLAGS.includes(name)) {
            throw new Error(`unknown argument "${arg}"`);
        }
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) {
            throw new Error(`${name} needs a value`);
        }
        flags.set(name, value);
    }
    const region = checkRegion("--region", flags.get("--region") ?? "cn-hangzhou");
    const groups = parseGroups(flags.get("--groups") ?? "asg-sandbox-web:6", region);
    if (groups.length === 0) {
        throw new Error("--groups names no group");
    }
    const opts: SandboxCliOptions = {
        port: nonNegativeInt("--port", flags.get("--port") ?? "0", 65535),
        groups,
        region,
        batchSeconds: nonNegativeInt("--batch-seconds", flags.get("--batch-seconds") ?? "5", 86400),
    };
    const timeScale = flags.get("--time-scale");
    if (timeScale !== undefined) {
        const k = Number(timeScale);
        if (!/^\d+(\.\d+)?$/.test(timeScale) || k < 1 || k > MAX_TIME_SCALE) {
            throw new Error(
                `--time-scale must be a number from 1 to ${MAX_TIME_SCALE}, got "${timeScale}"`,
            );
        }
        opts.timeScale = k;
    }
    opts.busyCode = errorCode(flags, "--busy-code");
    const nothing = flags.get("--nothing-to-refresh-code");
    opts.nothingToRefreshCode =
        nothing === "accept" ? nothing : errorCode(flags, "--nothing-to-refresh-code");
    opts.unsupportedCode = errorCode(flags, "--unsupported-code");
    const ecsInstances = flags.get("--ecs-instances");
    if (ecsInstances === undefined) {
        const ecsOnly = ["--ecs-port", "--ecs-event", "--ecs-refusal-message"].filter((f) =>
            flags.has(f),
        );
        if (ecsOnly.length > 0) {
            throw new Error(`${ecsOnly.join(", ")} needs --ecs-instances`);
        }
    } else {
        const eventType = flags.get("--ecs-event") ?? "SystemMaintenance.Reboot";
        if (!/^(none|[A-Za-z]+\.[A-Za-z]+)$/.test(eventType)) {
            throw new Error("--ecs-event expects an event type such as SystemMaintenance.Reboot");
        }
        const instances = parseEcsInstances(ecsInstances, region, eventType);
        if (instances.length === 0) {
            throw new Error("--ecs-instances names no instance");
        }
        opts.ecs = {
            port: nonNegativeInt("--ecs-port", flags.get("--ecs-port") ?? "0", 65535),
            instances,
            simulatedRefusalMessage: flags.get("--ecs-refusal-message"),
        };
    }
    const asgGroups = flags.get("--asg-groups");
    const awsOnly = [
        "--asg-port",
        "--aws-region",
        "--launch-template-versions",
        "--asg-busy-code",
    ].filter((f) => flags.has(f));
    if (asgGroups === undefined) {
        if (awsOnly.length > 0) {
            throw new Error(`${awsOnly.join(", ")} needs --asg-groups`);
        }
        return opts;
    }
    const versions = nonNegativeInt(
        "--launch-template-versions",
        flags.get("--launch-template-versions") ?? "2",
        10000,
    );
    if (versions < 1) {
        throw new Error("--launch-template-versions must be at least 1");
    }
    const list = parseGroupList("--asg-groups", asgGroups);
    if (list.length === 0) {
        throw new Error("--asg-groups names no group");
    }
    opts.aws = {
        port: nonNegativeInt("--asg-port", flags.get("--asg-port") ?? "0", 65535),
        region: checkRegion("--aws-region", flags.get("--aws-region") ?? "us-east-1"),
        launchTemplateVersions: versions,
        busyCode: errorCode(flags, "--asg-busy-code"),
        groups: list.map((g) => ({
            autoScalingGroupName: g.name,
            capacity: g.capacity,
            launchTemplate: { launchTemplateId: SANDBOX_LAUNCH_TEMPLATE_ID, version: "1" },
            ...(g.capacity >= 4 && versions >= 2
                ? { otherVersion: { count: 1, version: versions } }
                : {}),
        })),
    };
    return opts;
}

/** Runs the sandbox until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${USAGE}\n\n${HELP}\n`);
        return;
    }
    let opts: SandboxCliOptions;
    try {
        opts = parseArgs(argv);
    } catch (e) {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    const log = (line: string): void => {
        process.stdout.write(`${line}\n`);
    };
    // One world clock for all three, so their times agree.
    const clock = opts.timeScale !== undefined ? new ScaledClock(opts.timeScale) : undefined;
    const sim = new EssSimulator({
        clock,
        groups: opts.groups,
        scenario: {
            batchSeconds: opts.batchSeconds,
            busyCode: opts.busyCode,
            nothingToRefreshCode: opts.nothingToRefreshCode,
            unsupportedCode: opts.unsupportedCode,
        },
        log,
    });
    const aws = opts.aws;
    const asg = aws
        ? new AutoScalingSimulator({
              clock,
              launchTemplates: [
                  {
                      launchTemplateId: SANDBOX_LAUNCH_TEMPLATE_ID,
                      launchTemplateName: SANDBOX_LAUNCH_TEMPLATE_NAME,
                      versions: aws.launchTemplateVersions,
                  },
              ],
              groups: aws.groups,
              scenario: { batchSeconds: opts.batchSeconds, busyCode: aws.busyCode },
              region: aws.region,
              log,
          })
        : undefined;
    const ecsOpts = opts.ecs;
    const ecs = ecsOpts
        ? new EcsSimulator({
              clock,
              instances: ecsOpts.instances,
              scenario: { simulatedRefusalMessage: ecsOpts.simulatedRefusalMessage },
              log,
          })
        : undefined;
    const { stackEndpoint } = await sim.listen(opts.port);
    const ready: Record<string, unknown> = {
        endpoint: stackEndpoint,
        accessKeyId: SANDBOX_ACCESS_KEY_ID,
        accessKeySecret: SANDBOX_ACCESS_KEY_SECRET,
        region: opts.region,
    };
    if (asg && aws) {
        try {
            const listening = await asg.listen(aws.port);
            ready["aws"] = {
                endpoint: listening.stackEndpoint,
                accessKeyId: SANDBOX_AWS_ACCESS_KEY_ID,
                secretAccessKey: SANDBOX_AWS_SECRET_ACCESS_KEY,
                region: aws.region,
                launchTemplateId: SANDBOX_LAUNCH_TEMPLATE_ID,
                launchTemplateName: SANDBOX_LAUNCH_TEMPLATE_NAME,
            };
        } catch (e) {
            await sim.close();
            throw e;
        }
    }
    if (ecs && ecsOpts) {
        try {
            const listening = await ecs.listen(ecsOpts.port);
            ready["ecs"] = {
                endpoint: listening.stackEndpoint,
                accessKeyId: SANDBOX_ACCESS_KEY_ID,
                accessKeySecret: SANDBOX_ACCESS_KEY_SECRET,
                region: opts.region,
                instances: ecsOpts.instances.map((i) => i.instanceId),
            };
        } catch (e) {
            await Promise.all([sim.close(), asg?.close()]);
            throw e;
        }
    }
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    if (clock) {
        process.stdout.write(
            `time runs ${clock.timeScale}x real time from ${new Date(clock.timeOrigin).toISOString()}: ` +
                "give stacks the endpoints above as printed, pace included\n",
        );
    }
    const groups = opts.groups.map((g) => `${g.scalingGroupId} (${g.capacity})`).join(", ");
    process.stdout.write(`ESS sandbox ready: groups ${groups}; Ctrl-C to stop\n`);
    if (aws) {
        const asgGroups = aws.groups
            .map((g) => `${g.autoScalingGroupName} (${g.capacity})`)
            .join(", ");
        process.stdout.write(
            `Auto Scaling sandbox ready: groups ${asgGroups} on ${SANDBOX_LAUNCH_TEMPLATE_ID} ` +
                `version 1 of ${aws.launchTemplateVersions}\n`,
        );
    }
    if (ecsOpts) {
        const list = ecsOpts.instances
            .map((i) => `${i.instanceId} (${i.status ?? "Running"})`)
            .join(", ");
        process.stdout.write(`ECS sandbox ready: instances ${list}\n`);
    }
    await new Promise<void>((resolve) => {
        const stop = (): void => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
    });
    await Promise.all([sim.close(), asg?.close(), ecs?.close()]);
    const stopped = ["ESS", ...(asg ? ["Auto Scaling"] : []), ...(ecs ? ["ECS"] : [])];
    process.stdout.write(
        stopped.length === 1
            ? "ESS sandbox stopped\n"
            : `${stopped.slice(0, -1).join(", ")} and ${stopped[stopped.length - 1]} sandboxes stopped\n`,
    );
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 1;
    });
}
