import { checkHeartbeatPolicies } from "../heartbeatPolicy/validate";
import { Checker, copyKeys, isUnknown, Violation } from "../../core/validation";
import { checkAwsLocation } from "../common/awsLocation";
import {
    AWS_DEFAULTS,
    AWS_LIMITS,
    AWS_REFRESH_KEYS,
    AWS_WAIT_KEYS,
    AwsInstanceRefreshInputs,
} from "./types";

const PREFERENCE_KEYS = [
    "minHealthyPercentage",
    "maxHealthyPercentage",
    "instanceWarmupSeconds",
    "checkpointPercentages",
    "checkpointDelaySeconds",
    "skipMatching",
    "autoRollback",
    "scaleInProtectedInstances",
    "standbyInstances",
    "alarmSpecification",
    "bakeTimeSeconds",
] as const;
const TEMPLATE_KEYS = ["launchTemplateId", "launchTemplateName", "version"] as const;
const ALIASES = ["$Latest", "$Default"];

const given = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Checks every argument of aws.InstanceRefresh against the Auto Scaling API's ranges and this
 * library's options, and fills in defaults. Pure: no cloud call. Unknown values pass.
 */
export function validateAwsInstanceRefresh(news: Record<string, unknown>): {
    inputs: AwsInstanceRefreshInputs;
    violations: Violation[];
} {
    const c = new Checker();
    c.noUnknownKeys("", news, [...AWS_REFRESH_KEYS, ...AWS_WAIT_KEYS]);
    checkHeartbeatPolicies(c, "aws", news.autoScalingGroupName, news.heartbeatPolicies);
    c.requiredString("autoScalingGroupName", news.autoScalingGroupName, { maxLength: 255 });
    checkAwsLocation(c, news);
    c.oneOf("strategy", news.strategy, ["Rolling"] as const);
    const aliased = checkDesiredConfiguration(c, news.desiredConfiguration);
    const prefs = checkPreferences(c, news.preferences);
    const [toLo, toHi] = AWS_LIMITS.timeoutMinutes;
    c.integer("timeoutMinutes", news.timeoutMinutes, toLo, toHi);
    c.oneOf("onFailure", news.onFailure, ["rollback", "fail"] as const);
    c.oneOf("onTimeout", news.onTimeout, ["cancel", "rollback", "leave"] as const);
    c.oneOf("onConflict", news.onConflict, ["wait", "cancel", "fail"] as const);

    if (aliased && !given(news.triggers)) {
        c.fail(
            "desiredConfiguration",
            `uses launch template version "${aliased}", which moves without Pulumi seeing it: set ` +
                "triggers (e.g. { version: template.latestVersion }) so that a new template version " +
                "starts a refresh, or pin a version number",
        );
    }
    if (news.onFailure === "rollback" && prefs?.autoRollback === false) {
        c.fail(
            "preferences.autoRollback",
            'is false while onFailure is "rollback": on AWS the rollback after a failure is AutoRollback; ' +
                "leave autoRollback unset or choose one",
        );
    }
    const rollback =
        news.onFailure === "rollback" ||
        news.onTimeout === "rollback" ||
        prefs?.autoRollback === true;
    if (rollback && !given(news.desiredConfiguration)) {
        c.fail(
            "desiredConfiguration",
            'is required for a rollback (onFailure or onTimeout "rollback", or preferences.autoRollback): ' +
                "AWS can roll back only a refresh that names its desired launch template",
        );
    }

    const inputs = copyKeys(news, given);
    for (const [k, v] of Object.entries(AWS_DEFAULTS)) {
        inputs[k] ??= v;
    }
    // As the user gave them: onFailure "rollback" adds AutoRollback when the refresh starts, so that
    // changing onFailure alone starts nothing. An unknown preferences stays unknown.
    inputs.preferences = isUnknown(news.preferences) ? news.preferences : { ...(prefs ?? {}) };
    return { inputs: inputs as unknown as AwsInstanceRefreshInputs, violations: c.violations };
}

/** Checks a launch template reference; returns its alias version ("$Latest"/"$Default"), if any. */
function checkTemplate(c: Checker, p: string, value: unknown): string | undefined {
    if (!c.object(p, value)) {
        return undefined;
    }
    c.noUnknownKeys(p, value, TEMPLATE_KEYS);
    const id = value.launchTemplateId;
    const name = value.launchTemplateName;
    if (given(id) === given(name) && !isUnknown(id) && !isUnknown(name)) {
        c.fail(p, "must set exactly one of launchTemplateId and launchTemplateName");
    }
    c.optionalString(`${p}.launchTemplateId`, id, {
        pattern: /^lt-[0-9a-f]{8,17}$/,
        patternText: "a launch template id such as lt-0123456789abcdef0",
    });
    c.optionalString(`${p}.launchTemplateName`, name, { maxLength: 128 });
    c.optionalString(`${p}.version`, value.version, {
        pattern: /^([1-9][0-9]*|\$Latest|\$Default)$/,
        patternText: 'a version number, "$Latest" or "$Default"',
    });
    const version = value.version;
    return typeof version === "string" && ALIASES.includes(version)
        ? version
        : !given(version) && !isUnknown(version)
          ? "$Default"
          : undefined;
}

function checkDesiredConfiguration(c: Checker, value: unknown): string | undefined {
    if (!c.object("desiredConfiguration", value)) {
        return undefined;
    }
    const p = "desiredConfiguration";
    c.noUnknownKeys(p, value, ["launchTemplate", "mixedInstancesPolicy"]);
    const template = value.launchTemplate;
    const m = value.mixedInstancesPolicy;
    // An unknown value may resolve to nothing: "exactly one" holds only between known values.
    if (given(template) === given(m) && !isUnknown(template) && !isUnknown(m)) {
        c.fail(p, "must set exactly one of launchTemplate and mixedInstancesPolicy");
    }
    if (given(template) && !isUnknown(template)) {
        return checkTemplate(c, `${p}.launchTemplate`, template);
    }
    if (!c.object(`${p}.mixedInstancesPolicy`, m)) {
        return undefined;
    }
    c.noUnknownKeys(`${p}.mixedInstancesPolicy`, m, ["launchTemplate", "instancesDistribution"]);
    const lt = m.launchTemplate;
    if (!given(lt)) {
        c.fail(`${p}.mixedInstancesPolicy.launchTemplate`, "is required");
        return undefined;
    }
    if (!c.object(`${p}.mixedInstancesPolicy.launchTemplate`, lt)) {
        return undefined;
    }
    const q = `${p}.mixedInstancesPolicy`;
    c.noUnknownKeys(`${q}.launchTemplate`, lt, ["launchTemplateSpecification", "overrides"]);
    let alias = checkTemplate(
        c,
        `${q}.launchTemplate.launchTemplateSpecification`,
        lt.launchTemplateSpecification,
    );
    if (c.array(`${q}.launchTemplate.overrides`, lt.overrides, { maxItems: 40 })) {
        lt.overrides.forEach((o, i) => {
            const r = `${q}.launchTemplate.overrides[${i}]`;
            if (!c.object(r, o, { required: true })) {
                return;
            }
            c.noUnknownKeys(r, o, [
                "instanceType",
                "weightedCapacity",
                "launchTemplateSpecification",
            ]);
            c.optionalString(`${r}.instanceType`, o.instanceType);
            c.optionalString(`${r}.weightedCapacity`, o.weightedCapacity, {
                pattern: /^[1-9][0-9]{0,2}$/,
                patternText: "a whole number from 1 to 999",
            });
            if (given(o.launchTemplateSpecification)) {
                // Every template is checked; the first moving version is the one reported.
                const moving = checkTemplate(
                    c,
                    `${r}.launchTemplateSpecification`,
                    o.launchTemplateSpecification,
                );
                alias ??= moving;
            }
        });
    }
    if (c.object(`${q}.instancesDistribution`, m.instancesDistribution)) {
        c.noUnknownKeys(`${q}.instancesDistribution`, m.instancesDistribution, [
            "onDemandAllocationStrategy",
            "onDemandBaseCapacity",
            "onDemandPercentageAboveBaseCapacity",
            "spotAllocationStrategy",
            "spotInstancePools",
            "spotMaxPrice",
        ]);
    }
    return alias;
}

function checkPreferences(c: Checker, value: unknown): Record<string, unknown> | undefined {
    if (!given(value)) {
        return {};
    }
    if (!c.object("preferences", value)) {
        return undefined;
    }
    const p = "preferences";
    c.noUnknownKeys(p, value, PREFERENCE_KEYS);
    const L = AWS_LIMITS;
    const min = c.integer(
        `${p}.minHealthyPercentage`,
        value.minHealthyPercentage,
        ...L.minHealthyPercentage,
    );
    const max = c.integer(
        `${p}.maxHealthyPercentage`,
        value.maxHealthyPercentage,
        ...L.maxHealthyPercentage,
    );
    if (max && !given(value.minHealthyPercentage)) {
        c.fail(
            `${p}.maxHealthyPercentage`,
            "needs preferences.minHealthyPercentage as well (AWS requires both)",
        );
    }
    if (
        min &&
        max &&
        (value.maxHealthyPercentage as number) - (value.minHealthyPercentage as number) > 100
    ) {
        c.fail(`${p}.maxHealthyPercentage`, "may exceed minHealthyPercentage by at most 100");
    }
    c.integer(
        `${p}.instanceWarmupSeconds`,
        value.instanceWarmupSeconds,
        ...L.instanceWarmupSeconds,
    );
    if (
        c.array(`${p}.checkpointPercentages`, value.checkpointPercentages, {
            minItems: 1,
            maxItems: 100,
        })
    ) {
        // A last checkpoint below 100 is AWS's way to replace only that share of the group: the
        // refresh ends Successful there (the plan and README say so).
        let prev = 0;
        const list = value.checkpointPercentages;
        list.forEach((pct, i) => {
            const q = `${p}.checkpointPercentages[${i}]`;
            if (c.integer(q, pct, ...L.checkpointPercentage, { required: true })) {
                if (pct <= prev) {
                    c.fail(q, `must be greater than the one before it (${prev})`);
                }
                prev = pct;
            }
        });
    }
    const delay = value.checkpointDelaySeconds;
    if (given(delay) && !isUnknown(delay) && !given(value.checkpointPercentages)) {
        c.fail(`${p}.checkpointDelaySeconds`, "needs preferences.checkpointPercentages");
    }
    c.integer(
        `${p}.checkpointDelaySeconds`,
        value.checkpointDelaySeconds,
        ...L.checkpointDelaySeconds,
    );
    c.boolean(`${p}.skipMatching`, value.skipMatching);
    c.boolean(`${p}.autoRollback`, value.autoRollback);
    c.oneOf(`${p}.scaleInProtectedInstances`, value.scaleInProtectedInstances, [
        "Refresh",
        "Ignore",
        "Wait",
    ] as const);
    c.oneOf(`${p}.standbyInstances`, value.standbyInstances, [
        "Terminate",
        "Ignore",
        "Wait",
    ] as const);
    const alarms = value.alarmSpecification;
    if (c.object(`${p}.alarmSpecification`, alarms)) {
        c.noUnknownKeys(`${p}.alarmSpecification`, alarms, ["alarms"]);
        if (
            c.array(`${p}.alarmSpecification.alarms`, alarms.alarms, {
                minItems: 1,
                maxItems: L.alarms[1],
            })
        ) {
            alarms.alarms.forEach((a, i) =>
                c.requiredString(`${p}.alarmSpecification.alarms[${i}]`, a, { maxLength: 255 }),
            );
        }
    }
    c.integer(`${p}.bakeTimeSeconds`, value.bakeTimeSeconds, ...L.bakeTimeSeconds);
    return value;
}
