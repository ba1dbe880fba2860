#!/usr/bin/env node
/**
 * pulumi-rollout-sandbox: runs the ESS simulator on 127.0.0.1 for offline rehearsals.
 *
 *   pulumi-rollout-sandbox [--port N] [--groups asg-web:6,asg-api:4] [--region cn-hangzhou]
 *                          [--batch-seconds N]
 *
 * Prints one JSON line {"endpoint","accessKeyId","accessKeySecret","region"} once listening,
 * then one human-readable line per call received. Stops cleanly on SIGINT/SIGTERM.
 */
import {
    type EssGroupSeed,
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "./ess";

/** Parsed command-line options. */
export interface SandboxCliOptions {
    port: number;
    groups: EssGroupSeed[];
    region: string;
    batchSeconds: number;
}

const USAGE =
    "usage: pulumi-rollout-sandbox [--port N] [--groups id:capacity,...] " +
    "[--region REGION] [--batch-seconds N]";

function nonNegativeInt(flag: string, value: string, max: number): number {
    if (!/^\d+$/.test(value) || Number(value) > max) {
        throw new Error(`${flag} must be an integer from 0 to ${max}, got "${value}"`);
    }
    return Number(value);
}

function parseGroups(value: string, region: string): EssGroupSeed[] {
    return value
        .split(",")
        .filter((s) => s.trim() !== "")
        .map((spec) => {
            const m = /^([^:\s]+):(\d+)$/.exec(spec.trim());
            if (!m || m[1] === undefined || m[2] === undefined) {
                throw new Error(`--groups expects id:capacity[,id:capacity...], got "${spec}"`);
            }
            return { scalingGroupId: m[1], capacity: Number(m[2]), regionId: region };
        });
}

/** Parses argv (without node and script); throws with a readable message on bad input. */
export function parseArgs(argv: string[]): SandboxCliOptions {
    const flags = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] ?? "";
        const eq = arg.indexOf("=");
        const name = eq > 0 ? arg.slice(0, eq) : arg;
        if (!["--port", "--groups", "--region", "--batch-seconds"].includes(name)) {
            throw new Error(`unknown argument "${arg}"`);
        }
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) {
            throw new Error(`${name} needs a value`);
        }
        flags.set(name, value);
    }
    const region = flags.get("--region") ?? "cn-hangzhou";
    if (!/^[a-z0-9-]+$/.test(region)) {
        throw new Error(`--region looks wrong: "${region}"`);
    }
    const groups = parseGroups(flags.get("--groups") ?? "asg-sandbox-web:6", region);
    if (groups.length === 0) {
        throw new Error("--groups names no group");
    }
    return {
        port: nonNegativeInt("--port", flags.get("--port") ?? "0", 65535),
        groups,
        region,
        batchSeconds: nonNegativeInt("--batch-seconds", flags.get("--batch-seconds") ?? "5", 86400),
    };
}

/** Runs the sandbox until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${USAGE}\n`);
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
    const sim = new EssSimulator({
        groups: opts.groups,
        scenario: { batchSeconds: opts.batchSeconds },
        log: (line) => process.stdout.write(`${line}\n`),
    });
    const { endpoint } = await sim.listen(opts.port);
    const ready = {
        endpoint,
        accessKeyId: SANDBOX_ACCESS_KEY_ID,
        accessKeySecret: SANDBOX_ACCESS_KEY_SECRET,
        region: opts.region,
    };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    const groups = opts.groups.map((g) => `${g.scalingGroupId} (${g.capacity})`).join(", ");
    process.stdout.write(`ESS sandbox ready: groups ${groups}; Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
        const stop = (): void => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
    });
    await sim.close();
    process.stdout.write("ESS sandbox stopped\n");
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 1;
    });
}
