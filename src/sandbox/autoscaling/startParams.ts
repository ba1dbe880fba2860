/**
 * Validation of StartInstanceRefresh parameters, per the vendor page and RefreshPreferences:
 * AutoScalingGroupName (1-255), Strategy (Rolling), DesiredConfiguration.LaunchTemplate.* or
 * DesiredConfiguration.MixedInstancesPolicy.* (not both; a launch template names exactly one of
 * LaunchTemplateId / LaunchTemplateName), Preferences.MinHealthyPercentage 0-100 (default 90),
 * MaxHealthyPercentage 100-200 (needs MinHealthyPercentage, at most 100 above it),
 * InstanceWarmup >= 0, CheckpointPercentages.member.N (1-100, ascending, unique),
 * CheckpointDelay 0-172800 (needs CheckpointPercentages; default 3600 with them), SkipMatching
 * and AutoRollback (default false), ScaleInProtectedInstances Refresh|Ignore|Wait and
 * StandbyInstances Terminate|Ignore|Wait (default Wait, both), AlarmSpecification.Alarms.member.N,
 * BakeTime 0-172800 (default 0).
 */
import { validationError } from "./errors";
import {
    hasPrefix,
    memberValues,
    optionalBool,
    optionalEnum,
    optionalInt,
    optionalString,
    type Params,
    requireParam,
    subParams,
} from "./params";
import type { LaunchTemplateSpec, RefreshSettings, StartRefreshInput } from "./refreshEngine";
import type { WireDesiredConfiguration, WireRefreshPreferences } from "./types";

const DC = "DesiredConfiguration";
const PREFS = "Preferences";

type Nested = { [key: string]: Nested | Nested[] | string };
type Container = Nested | Nested[];

/** Turns flattened params (`A.B=x`, `A.member.1.C=y`) into nested objects and arrays. */
export function unflatten(p: Params): Nested {
    const root: Nested = {};
    for (const [key, value] of Object.entries(p)) {
        const parts = key.split(".");
        let node: Container = root;
        for (let i = 0; i < parts.length; i++) {
            const part = parts[i] ?? "";
            const last = i === parts.length - 1;
            let child: Nested | Nested[] | string | undefined;
            if (Array.isArray(node)) {
                const list: (Nested | string)[] = node;
                const index = Number(part) - 1;
                if (last) {
                    list[index] = value;
                    break;
                }
                child = list[index];
                if (typeof child !== "object") {
                    child = {};
                    list[index] = child;
                }
            } else if (parts[i + 1] === "member") {
                child = node[part];
                if (!Array.isArray(child)) {
                    child = [];
                    node[part] = child;
                }
                i++; // skip "member"
            } else if (last) {
                node[part] = value;
                break;
            } else {
                child = node[part];
                if (typeof child !== "object" || Array.isArray(child)) {
                    child = {};
                    node[part] = child;
                }
            }
            node = child;
        }
    }
    return compact(root) as Nested;
}

function compact(value: Nested | Nested[] | string): Nested | Nested[] | string {
    if (Array.isArray(value)) {
        return value.filter((v) => v !== undefined).map((v) => compact(v) as Nested);
    }
    if (typeof value === "object") {
        const out: Nested = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = compact(v);
        }
        return out;
    }
    return value;
}

function launchTemplateSpec(p: Params, prefix: string): LaunchTemplateSpec {
    const id = optionalString(p, `${prefix}.LaunchTemplateId`);
    const name = optionalString(p, `${prefix}.LaunchTemplateName`);
    const version = optionalString(p, `${prefix}.Version`);
    if ((id === undefined) === (name === undefined)) {
        throw validationError(
            "Valid requests must contain either LaunchTemplateId or LaunchTemplateName.",
        );
    }
    const spec: LaunchTemplateSpec = {};
    if (id !== undefined) {
        spec.id = id;
    }
    if (name !== undefined) {
        spec.name = name;
    }
    if (version !== undefined) {
        spec.version = version;
    }
    return spec;
}

/** DesiredConfiguration.*: the echo and the launch template it names. */
export function parseDesiredConfiguration(p: Params): {
    desired?: WireDesiredConfiguration;
    template?: LaunchTemplateSpec;
} {
    if (!hasPrefix(p, DC)) {
        return {};
    }
    const lt = `${DC}.LaunchTemplate`;
    const mip = `${DC}.MixedInstancesPolicy`;
    const hasLt = hasPrefix(p, lt);
    const hasMip = hasPrefix(p, mip);
    if (hasLt && hasMip) {
        throw validationError(
            "Valid requests must contain either LaunchTemplate or MixedInstancesPolicy in the " +
                "desired configuration, but not both.",
        );
    }
    const echo = unflatten(subParams(p, DC)) as WireDesiredConfiguration;
    if (hasLt) {
        return { desired: echo, template: launchTemplateSpec(p, lt) };
    }
    if (hasMip) {
        const spec = `${mip}.LaunchTemplate.LaunchTemplateSpecification`;
        if (!hasPrefix(p, spec)) {
            throw validationError(
                "The desired MixedInstancesPolicy must contain LaunchTemplate.LaunchTemplateSpecification.",
            );
        }
        return { desired: echo, template: launchTemplateSpec(p, spec) };
    }
    // an empty DesiredConfiguration: the group's current configuration
    return { desired: echo };
}

/** Preferences.*: the settings the engine runs with and what DescribeInstanceRefreshes echoes. */
export function parsePreferences(p: Params): {
    settings: RefreshSettings;
    preferences: WireRefreshPreferences;
} {
    const minGiven = optionalInt(p, `${PREFS}.MinHealthyPercentage`, 0, 100);
    const max = optionalInt(p, `${PREFS}.MaxHealthyPercentage`, 100, 200);
    if (max !== undefined && minGiven === undefined) {
        throw validationError(
            "If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage.",
        );
    }
    const min = minGiven ?? 90;
    if (max !== undefined && max - min > 100) {
        throw validationError(
            "The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be " +
                "greater than 100.",
        );
    }
    const warmup = optionalInt(p, `${PREFS}.InstanceWarmup`, 0);
    const checkpointValues = memberValues(p, `${PREFS}.CheckpointPercentages`);
    const checkpoints = (checkpointValues ?? []).map((v, i) => {
        const name = `${PREFS}.CheckpointPercentages.member.${i + 1}`;
        return optionalInt({ [name]: v }, name, 1, 100) ?? 0;
    });
    checkpoints.forEach((cp, i) => {
        const prev = checkpoints[i - 1];
        if (prev !== undefined && cp <= prev) {
            throw validationError(
                "CheckpointPercentages must be unique values in ascending order.",
            );
        }
    });
    const delayGiven = optionalInt(p, `${PREFS}.CheckpointDelay`, 0, 172800);
    if (delayGiven !== undefined && checkpoints.length === 0) {
        throw validationError(
            "If you specify CheckpointDelay, you must also specify CheckpointPercentages.",
        );
    }
    const skipMatching = optionalBool(p, `${PREFS}.SkipMatching`) ?? false;
    const autoRollback = optionalBool(p, `${PREFS}.AutoRollback`) ?? false;
    const scaleIn =
        optionalEnum(p, `${PREFS}.ScaleInProtectedInstances`, [
            "Refresh",
            "Ignore",
            "Wait",
        ] as const) ?? "Wait";
    const standby =
        optionalEnum(p, `${PREFS}.StandbyInstances`, ["Terminate", "Ignore", "Wait"] as const) ??
        "Wait";
    const alarms = memberValues(p, `${PREFS}.AlarmSpecification.Alarms`);
    const bakeTime = optionalInt(p, `${PREFS}.BakeTime`, 0, 172800);
    const settings: RefreshSettings = {
        minHealthyPercentage: min,
        checkpointPercentages: checkpoints,
        checkpointDelay: delayGiven ?? 3600,
        skipMatching,
        autoRollback,
        bakeTime: bakeTime ?? 0,
    };
    if (max !== undefined) {
        settings.maxHealthyPercentage = max;
    }
    if (warmup !== undefined) {
        settings.instanceWarmup = warmup;
    }
    // echoed in the order DescribeInstanceRefreshes lists them
    const preferences: WireRefreshPreferences = { MinHealthyPercentage: min };
    if (warmup !== undefined) {
        preferences.InstanceWarmup = warmup;
    }
    if (checkpoints.length > 0) {
        preferences.CheckpointPercentages = checkpoints;
        preferences.CheckpointDelay = settings.checkpointDelay;
    }
    preferences.SkipMatching = skipMatching;
    preferences.AutoRollback = autoRollback;
    preferences.ScaleInProtectedInstances = scaleIn;
    preferences.StandbyInstances = standby;
    if (alarms !== undefined && alarms.length > 0) {
        preferences.AlarmSpecification = { Alarms: alarms };
    }
    if (max !== undefined) {
        preferences.MaxHealthyPercentage = max;
    }
    if (bakeTime !== undefined) {
        preferences.BakeTime = bakeTime;
    }
    return { settings, preferences };
}

/** Validates a StartInstanceRefresh request into engine input. */
export function parseStartInstanceRefresh(p: Params): StartRefreshInput {
    const name = requireParam(p, "AutoScalingGroupName");
    optionalString(p, "AutoScalingGroupName");
    optionalEnum(p, "Strategy", ["Rolling"] as const);
    const { desired, template } = parseDesiredConfiguration(p);
    const { settings, preferences } = parsePreferences(p);
    const input: StartRefreshInput = { autoScalingGroupName: name, settings, preferences };
    if (desired !== undefined) {
        input.desired = desired;
    }
    if (template !== undefined) {
        input.desiredTemplate = template;
    }
    return input;
}
