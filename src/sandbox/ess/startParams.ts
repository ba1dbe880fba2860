/**
 * Validation of StartInstanceRefresh parameters, per the vendor page (API 2022-02-22):
 * MinHealthyPercentage 0-100 (default 80), MaxHealthyPercentage 100-200 (default 120),
 * SkipMatching (default true), Checkpoints.N.Percentage 1-100 ascending with the last = 100,
 * CheckpointPauseTime 1-2880 minutes (default 60), ClientToken <= 64 ASCII characters, and an
 * optional DesiredConfiguration (every field is "Required: No"): ImageId, ScalingConfigurationId
 * or both (the page's own request example sends both), LaunchTemplateId (+ LaunchTemplateVersion:
 * a version number, Default or Latest; LaunchTemplateOverrides.N.InstanceType), or Containers.N.*
 * (Commands.N up to 256 characters; EnvironmentVars.N.Key 1-128 letters, digits and underscores,
 * not starting with a digit; Value 0-256 characters; FieldRefFieldPath "is not available").
 * Limits the page does not give (the number of overrides or containers, other lengths) are not
 * enforced. Whether ImageId suits the group (not when its active configuration comes from a
 * launch template) is the engine's check.
 */
import { invalidParameter } from "./errors";
import {
    flatten,
    indexed,
    optionalBool,
    optionalInt,
    parseInteger,
    type Params,
    requireParam,
} from "./params";
import type { StartRefreshInput } from "./refreshEngine";
import type { DesiredConfiguration, DesiredContainer } from "./types";

const DC = "DesiredConfiguration";
const SIMPLE_FIELDS = [
    "ImageId",
    "ScalingConfigurationId",
    "LaunchTemplateId",
    "LaunchTemplateVersion",
] as const;

/** A fingerprint of the request for ClientToken idempotency (all params but the token). */
export function fingerprint(p: Params): string {
    const entries = Object.entries(p)
        .filter(([k]) => k !== "ClientToken")
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(entries);
}

function nonEmpty(name: string, value: string): string {
    if (value === "") {
        throw invalidParameter(name, "It must not be empty.");
    }
    return value;
}

/** Repeated scalar sub-fields (`Commands.N`) of one container. */
function subList(fields: Record<string, string>, field: string, where: string): string[] {
    const sub: Params = {};
    for (const [k, v] of Object.entries(fields)) {
        if (k.startsWith(`${field}.`)) {
            sub[k] = v;
        }
    }
    return indexed(sub, field).map((item) => {
        const extra = Object.keys(item.fields).find((k) => k !== "");
        if (extra !== undefined) {
            throw invalidParameter(`${where}.${field}.${item.index}.${extra}`, "Unknown field.");
        }
        return item.fields[""] ?? "";
    });
}

function parseContainer(fields: Record<string, string>, where: string): DesiredContainer {
    const c: DesiredContainer = {};
    const env: Params = {};
    for (const [k, v] of Object.entries(fields)) {
        if (k === "Name" || k === "Image") {
            c[k] = nonEmpty(`${where}.${k}`, v);
        } else if (k.startsWith("EnvironmentVars.")) {
            env[k] = v;
        } else if (!/^(Commands|Args)\.\d+$/.test(k)) {
            throw invalidParameter(`${where}.${k}`, "Unknown field.");
        }
    }
    const commands = subList(fields, "Commands", where);
    commands.forEach((cmd, i) => {
        if (cmd.length > 256) {
            throw invalidParameter(
                `${where}.Commands.${i + 1}`,
                "The command can be up to 256 characters in length.",
            );
        }
    });
    if (commands.length > 0) {
        c.Commands = commands;
    }
    const args = subList(fields, "Args", where);
    if (args.length > 0) {
        c.Args = args;
    }
    const vars = indexed(env, "EnvironmentVars").map((item) => {
        const out: { Key?: string; Value?: string; FieldRefFieldPath?: string } = {};
        for (const [k, v] of Object.entries(item.fields)) {
            if (k !== "Key" && k !== "Value" && k !== "FieldRefFieldPath") {
                const name = `${where}.EnvironmentVars.${item.index}.${k}`;
                throw invalidParameter(name, "Unknown field.");
            }
            out[k] = v;
        }
        const name = `${where}.EnvironmentVars.${item.index}`;
        if (out.FieldRefFieldPath !== undefined) {
            throw invalidParameter(`${name}.FieldRefFieldPath`, "This parameter is not available.");
        }
        if (out.Key !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(out.Key)) {
            throw invalidParameter(
                `${name}.Key`,
                "The name must be 1 to 128 characters in length. It can contain digits, letters, " +
                    "and underscores (_). It cannot start with a digit.",
            );
        }
        if (out.Value !== undefined && out.Value.length > 256) {
            throw invalidParameter(
                `${name}.Value`,
                "The value can be 0 to 256 characters in length.",
            );
        }
        return out;
    });
    if (vars.length > 0) {
        c.EnvironmentVars = vars;
    }
    return c;
}

/** The DesiredConfiguration.* params (a JSON-valued `DesiredConfiguration` is also accepted). */
function desiredParams(p: Params): Params {
    const out: Params = {};
    const json = p[DC];
    if (json !== undefined) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(json);
        } catch {
            throw invalidParameter(DC, "Send it flattened (DesiredConfiguration.ImageId=...).");
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            throw invalidParameter(DC, "It must be an object.");
        }
        flatten(parsed, DC, out);
    }
    for (const [k, v] of Object.entries(p)) {
        if (k.startsWith(`${DC}.`)) {
            out[k] = v;
        }
    }
    return out;
}

/** Parses and validates DesiredConfiguration.*. */
export function parseDesiredConfiguration(p: Params): DesiredConfiguration {
    const src = desiredParams(p);
    const d: DesiredConfiguration = {};
    const overrides: Params = {};
    const containers: Params = {};
    for (const [key, value] of Object.entries(src)) {
        const rest = key.slice(DC.length + 1);
        const simple = SIMPLE_FIELDS.find((f) => f === rest);
        if (simple !== undefined) {
            d[simple] = nonEmpty(key, value);
        } else if (rest.startsWith("LaunchTemplateOverrides.")) {
            overrides[rest] = value;
        } else if (rest.startsWith("Containers.")) {
            containers[rest] = value;
        } else {
            throw invalidParameter(key, "Unknown field of DesiredConfiguration.");
        }
    }
    const ltOverrides = indexed(overrides, "LaunchTemplateOverrides").map((item) => {
        const extra = Object.keys(item.fields).find((k) => k !== "InstanceType");
        const where = `${DC}.LaunchTemplateOverrides.${item.index}`;
        if (extra !== undefined) {
            throw invalidParameter(`${where}.${extra}`, "Unknown field.");
        }
        const type = item.fields["InstanceType"] ?? "";
        return { InstanceType: nonEmpty(`${where}.InstanceType`, type) };
    });
    if (ltOverrides.length > 0) {
        d.LaunchTemplateOverrides = ltOverrides;
    }
    const list = indexed(containers, "Containers").map((item) =>
        parseContainer(item.fields, `${DC}.Containers.${item.index}`),
    );
    if (list.length > 0) {
        d.Containers = list;
    }
    checkOneSource(d);
    return d;
}

function checkOneSource(d: DesiredConfiguration): void {
    const image = d.ImageId !== undefined || d.ScalingConfigurationId !== undefined;
    const sources = [image, d.LaunchTemplateId !== undefined, d.Containers !== undefined];
    if (sources.filter(Boolean).length > 1) {
        throw invalidParameter(
            DC,
            "Specify DesiredConfiguration.ImageId and/or DesiredConfiguration.ScalingConfigurationId, " +
                "or DesiredConfiguration.LaunchTemplateId, or DesiredConfiguration.Containers.N, " +
                "not several of them.",
        );
    }
    if (d.LaunchTemplateId === undefined) {
        if (d.LaunchTemplateVersion !== undefined) {
            throw invalidParameter(
                `${DC}.LaunchTemplateVersion`,
                "It requires DesiredConfiguration.LaunchTemplateId.",
            );
        }
        if (d.LaunchTemplateOverrides !== undefined) {
            throw invalidParameter(
                `${DC}.LaunchTemplateOverrides`,
                "It requires DesiredConfiguration.LaunchTemplateId.",
            );
        }
    }
    const version = d.LaunchTemplateVersion;
    if (version !== undefined && !/^([1-9][0-9]*|Default|Latest)$/.test(version)) {
        throw invalidParameter(
            `${DC}.LaunchTemplateVersion`,
            "Valid values: a fixed version number, Default or Latest.",
        );
    }
}

/** Checkpoints.N.Percentage: each 1-100, ascending, the last one 100. */
export function parseCheckpoints(p: Params): number[] {
    const out: number[] = [];
    for (const item of indexed(p, "Checkpoints")) {
        const name = `Checkpoints.${item.index}.Percentage`;
        const extra = Object.keys(item.fields).find((k) => k !== "Percentage");
        if (extra !== undefined) {
            throw invalidParameter(`Checkpoints.${item.index}.${extra}`, "Unknown field.");
        }
        const pct = parseInteger(name, item.fields["Percentage"] ?? "", 1, 100);
        const prev = out[out.length - 1];
        if (prev !== undefined && pct <= prev) {
            throw invalidParameter(name, "Checkpoint percentages must be in ascending order.");
        }
        out.push(pct);
    }
    const last = out[out.length - 1];
    if (last !== undefined && last !== 100) {
        throw invalidParameter(
            `Checkpoints.${out.length}.Percentage`,
            "The last checkpoint percentage must be 100.",
        );
    }
    return out;
}

/** Validates a StartInstanceRefresh request into engine input. */
export function parseStartInstanceRefresh(p: Params): StartRefreshInput {
    const regionId = requireParam(p, "RegionId");
    const scalingGroupId = requireParam(p, "ScalingGroupId");
    const clientToken = p["ClientToken"];
    if (clientToken !== undefined && !/^[\x20-\x7e]{1,64}$/.test(clientToken)) {
        throw invalidParameter("ClientToken", "It must be 1 to 64 ASCII characters.");
    }
    const input: StartRefreshInput = {
        regionId,
        scalingGroupId,
        minHealthyPercentage: optionalInt(p, "MinHealthyPercentage", 0, 100, 80),
        maxHealthyPercentage: optionalInt(p, "MaxHealthyPercentage", 100, 200, 120),
        skipMatching: optionalBool(p, "SkipMatching", true),
        checkpointPauseTime: optionalInt(p, "CheckpointPauseTime", 1, 2880, 60),
        checkpoints: parseCheckpoints(p),
        desired: parseDesiredConfiguration(p),
        fingerprint: fingerprint(p),
    };
    if (clientToken !== undefined) {
        input.clientToken = clientToken;
    }
    return input;
}
