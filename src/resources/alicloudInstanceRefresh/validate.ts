import { checkHeartbeatPolicies } from "../heartbeatPolicy/validate";
import { Checker, copyKeys, isUnknown, show, Violation } from "../../core/validation";
import { checkAlicloudLocation } from "../common/alicloudLocation";
import { DEFAULTS, InstanceRefreshInputs, LIMITS, REFRESH_KEYS, WAIT_KEYS } from "./types";

const SOURCES = ["imageId", "scalingConfigurationId", "launchTemplateId", "containers"] as const;
const DESIRED_KEYS = [...SOURCES, "launchTemplateVersion", "launchTemplateOverrides"] as const;
const CONTAINER_KEYS = ["name", "image", "commands", "args", "environmentVars"] as const;
const ENV_KEYS = ["key", "value", "fieldRefFieldPath"] as const;

/** The result of {@link validateInstanceRefresh}: the inputs with defaults applied, and every violation. */
export interface Validated {
    inputs: InstanceRefreshInputs;
    violations: Violation[];
}

/**
 * Checks every argument of alicloud.InstanceRefresh against the ranges of the StartInstanceRefresh
 * reference and this library's own options, and fills in defaults. Pure: no cloud call. Values
 * not known yet (preview) are accepted as they are.
 */
export function validateInstanceRefresh(news: Record<string, unknown>): Validated {
    const c = new Checker();
    c.noUnknownKeys("", news, [...REFRESH_KEYS, ...WAIT_KEYS]);
    checkHeartbeatPolicies(c, "alicloud", news.scalingGroupId, news.heartbeatPolicies);

    c.requiredString("scalingGroupId", news.scalingGroupId);
    checkAlicloudLocation(c, news);

    checkDesiredConfiguration(c, news.desiredConfiguration);

    const [minLo, minHi] = LIMITS.minHealthyPercentage;
    const [maxLo, maxHi] = LIMITS.maxHealthyPercentage;
    c.integer("minHealthyPercentage", news.minHealthyPercentage, minLo, minHi);
    c.integer("maxHealthyPercentage", news.maxHealthyPercentage, maxLo, maxHi);
    c.boolean("skipMatching", news.skipMatching);
    checkCheckpoints(c, news.checkpoints);
    const [pauseLo, pauseHi] = LIMITS.checkpointPauseMinutes;
    c.integer("checkpointPauseMinutes", news.checkpointPauseMinutes, pauseLo, pauseHi);
    const [toLo, toHi] = LIMITS.timeoutMinutes;
    c.integer("timeoutMinutes", news.timeoutMinutes, toLo, toHi);
    c.oneOf("onFailure", news.onFailure, ["rollback", "fail"] as const);
    c.oneOf("onTimeout", news.onTimeout, ["cancel", "rollback", "leave"] as const);
    c.oneOf("onConflict", news.onConflict, ["wait", "cancel", "fail"] as const);

    const inputs = withDefaults(news);
    checkRollbackPossible(c, inputs);
    return { inputs, violations: c.violations };
}

function withDefaults(news: Record<string, unknown>): InstanceRefreshInputs {
    const out = copyKeys(news, (v) => v !== undefined && v !== null);
    for (const [k, v] of Object.entries(DEFAULTS)) {
        if (out[k] === undefined) {
            out[k] = v;
        }
    }
    return out as unknown as InstanceRefreshInputs;
}

/**
 * The sources a desired configuration may name, as the StartInstanceRefresh reference allows them:
 * every DesiredConfiguration.* is optional, and its own request example sends ImageId with
 * ScalingConfigurationId. A launch template or containers go alone.
 */
const ALLOWED_SOURCES: readonly (readonly (typeof SOURCES)[number][])[] = [
    ["imageId"],
    ["scalingConfigurationId"],
    ["imageId", "scalingConfigurationId"],
    ["launchTemplateId"],
    ["containers"],
];

function checkDesiredConfiguration(c: Checker, value: unknown): void {
    // Left out, ESS replaces the instances not on the group's active configuration.
    if (value === undefined || value === null || !c.object("desiredConfiguration", value)) {
        return;
    }
    c.noUnknownKeys("desiredConfiguration", value, DESIRED_KEYS);
    const given = SOURCES.filter((k) => value[k] !== undefined && value[k] !== null);
    const allowed = ALLOWED_SOURCES.some(
        (a) => a.length === given.length && a.every((k) => given.includes(k)),
    );
    if (!allowed && !given.some((k) => isUnknown(value[k]))) {
        c.fail(
            "desiredConfiguration",
            `must set one of imageId, scalingConfigurationId (or both), launchTemplateId or ` +
                `containers, or be left out to replace the instances not on the group's active ` +
                `configuration; got ${given.length === 0 ? "none" : given.join(" and ")}`,
        );
    }
    const p = "desiredConfiguration";
    // Seed 003 gives no lengths for the ids, no number of overrides and no instance-type form:
    // none is enforced here (ESS's own refusal names what it minds).
    c.optionalString(`${p}.imageId`, value.imageId);
    c.optionalString(`${p}.scalingConfigurationId`, value.scalingConfigurationId);
    c.optionalString(`${p}.launchTemplateId`, value.launchTemplateId);
    const hasTemplate = value.launchTemplateId !== undefined && value.launchTemplateId !== null;
    for (const k of ["launchTemplateVersion", "launchTemplateOverrides"] as const) {
        // An unknown value may resolve to nothing: only a known one needs the template.
        const known = value[k] !== undefined && value[k] !== null && !isUnknown(value[k]);
        if (known && !hasTemplate) {
            c.fail(
                `${p}.${k}`,
                "can only be set together with desiredConfiguration.launchTemplateId",
            );
        }
    }
    c.optionalString(`${p}.launchTemplateVersion`, value.launchTemplateVersion, {
        pattern: /^([1-9][0-9]*|Default|Latest)$/,
        patternText: 'a version number, "Default" or "Latest"',
    });
    if (c.array(`${p}.launchTemplateOverrides`, value.launchTemplateOverrides, { minItems: 1 })) {
        value.launchTemplateOverrides.forEach((o, i) => {
            const q = `${p}.launchTemplateOverrides[${i}]`;
            if (c.object(q, o, { required: true })) {
                c.noUnknownKeys(q, o, ["instanceType"]);
                c.requiredString(`${q}.instanceType`, o.instanceType);
            }
        });
    }
    if (c.array(`${p}.containers`, value.containers, { minItems: 1 })) {
        value.containers.forEach((k, i) => checkContainer(c, `${p}.containers[${i}]`, k));
    }
}

function checkContainer(c: Checker, q: string, k: unknown): void {
    if (!c.object(q, k, { required: true })) {
        return;
    }
    c.noUnknownKeys(q, k, CONTAINER_KEYS);
    c.optionalString(`${q}.name`, k.name);
    c.optionalString(`${q}.image`, k.image);
    if (c.array(`${q}.commands`, k.commands)) {
        k.commands.forEach((s, j) =>
            c.requiredString(`${q}.commands[${j}]`, s, { maxLength: 256 }),
        );
    }
    if (c.array(`${q}.args`, k.args)) {
        k.args.forEach((s, j) =>
            c.optionalString(`${q}.args[${j}]`, s, { minLength: 0, required: true }),
        );
    }
    if (c.array(`${q}.environmentVars`, k.environmentVars)) {
        k.environmentVars.forEach((e, j) => {
            const r = `${q}.environmentVars[${j}]`;
            if (!c.object(r, e, { required: true })) {
                return;
            }
            c.noUnknownKeys(r, e, ENV_KEYS);
            c.requiredString(`${r}.key`, e.key, {
                maxLength: 128,
                pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
                patternText: "letters, digits and underscores, not starting with a digit",
            });
            c.optionalString(`${r}.value`, e.value, { minLength: 0, maxLength: 256 });
            const ref = e.fieldRefFieldPath;
            // An unknown value may resolve to nothing: only a known one is refused.
            if (ref !== undefined && ref !== null && !isUnknown(ref)) {
                c.fail(
                    `${r}.fieldRefFieldPath`,
                    "is not available: the StartInstanceRefresh reference says so of " +
                        "DesiredConfiguration.Containers.N.EnvironmentVars.N.FieldRefFieldPath",
                );
            }
        });
    }
}

function checkCheckpoints(c: Checker, value: unknown): void {
    if (!c.array("checkpoints", value, { minItems: 1, maxItems: 100 })) {
        return;
    }
    const [lo, hi] = LIMITS.checkpointPercentage;
    let prev = 0;
    let allKnown = true;
    value.forEach((pct, i) => {
        if (isUnknown(pct)) {
            allKnown = false;
            return;
        }
        if (c.integer(`checkpoints[${i}]`, pct, lo, hi, { required: true })) {
            if (pct <= prev) {
                c.fail(
                    `checkpoints[${i}]`,
                    `must be greater than the one before it (${prev}): checkpoints are ascending`,
                );
            }
            prev = pct;
        }
    });
    const last = value[value.length - 1];
    if (allKnown && last !== 100) {
        c.fail(
            "checkpoints",
            `must end with 100 (the last checkpoint is the whole group); got ${show(last)}`,
        );
    }
}

function checkRollbackPossible(c: Checker, inputs: InstanceRefreshInputs): void {
    const version = inputs.desiredConfiguration?.launchTemplateVersion;
    if (version !== "Default" && version !== "Latest") {
        return;
    }
    const why = `is not possible with desiredConfiguration.launchTemplateVersion "${version}": ESS cannot roll back such a refresh; pin a version number or choose another value`;
    if (inputs.onFailure === "rollback") {
        c.fail("onFailure", `"rollback" ${why} ("fail")`);
    }
    if (inputs.onTimeout === "rollback") {
        c.fail("onTimeout", `"rollback" ${why} ("cancel" or "leave")`);
    }
}
