import { Checker, copyKeys, isUnknown, Violation } from "../../core/validation";
import { checkAlicloudLocation } from "../common/alicloudLocation";
import { DEFAULT_REDEPLOY_EVENT_TYPES } from "../../clouds/alicloud/events";
import { DEFAULTS, INPUT_KEYS, InstanceRedeployInputs, LIMITS } from "./types";

/** The result of {@link validateInstanceRedeploy}: inputs with defaults, and every violation. */
export interface Validated {
    inputs: InstanceRedeployInputs;
    violations: Violation[];
}

const INSTANCE_ID = /^i-[0-9A-Za-z-]{1,62}$/;

/**
 * Checks every argument of alicloud.InstanceRedeploy and fills in defaults. Pure: no cloud call.
 * Values not known yet (preview) are accepted as they are.
 */
export function validateInstanceRedeploy(news: Record<string, unknown>): Validated {
    const c = new Checker();
    c.noUnknownKeys("", news, INPUT_KEYS);

    const [idsLo, idsHi] = LIMITS.instanceIds;
    if (news.instanceIds === undefined || news.instanceIds === null) {
        c.fail("instanceIds", "is required: one or more ECS instance ids");
    } else if (c.array("instanceIds", news.instanceIds, { minItems: idsLo, maxItems: idsHi })) {
        const seen = new Set<string>();
        news.instanceIds.forEach((id, i) => {
            const property = `instanceIds[${i}]`;
            if (
                c.requiredString(property, id, {
                    pattern: INSTANCE_ID,
                    patternText: "an ECS instance id such as i-bp1azkttqpldxgted",
                })
            ) {
                if (seen.has(id)) {
                    c.fail(property, `repeats ${JSON.stringify(id)}; list each instance once`);
                }
                seen.add(id);
            }
        });
    }
    checkAlicloudLocation(c, news);
    c.oneOf("when", news.when, ["always", "systemEvent"] as const);
    if (c.array("eventTypes", news.eventTypes, { minItems: 1 })) {
        news.eventTypes.forEach((t, i) => {
            c.oneOf(`eventTypes[${i}]`, t, DEFAULT_REDEPLOY_EVENT_TYPES, { required: true });
        });
        if (news.when === "always") {
            c.fail("eventTypes", 'applies only with when: "systemEvent"');
        }
    }
    c.boolean("forceStop", news.forceStop);
    c.boolean("allowLocalDiskDataLoss", news.allowLocalDiskDataLoss);
    const [mcLo, mcHi] = LIMITS.maxConcurrent;
    c.integer("maxConcurrent", news.maxConcurrent, mcLo, mcHi);
    const [toLo, toHi] = LIMITS.timeoutMinutes;
    c.integer("timeoutMinutes", news.timeoutMinutes, toLo, toHi);
    if (news.triggers !== undefined && news.triggers !== null && !isUnknown(news.triggers)) {
        if (typeof news.triggers !== "object") {
            c.fail("triggers", "must be an object or a list of values");
        }
    }
    return { inputs: withDefaults(news), violations: c.violations };
}

function withDefaults(news: Record<string, unknown>): InstanceRedeployInputs {
    const out = copyKeys(news);
    for (const [k, v] of Object.entries(DEFAULTS)) {
        if (out[k] === undefined || out[k] === null) {
            out[k] = v;
        }
    }
    if ((out.eventTypes === undefined || out.eventTypes === null) && out.when !== "always") {
        out.eventTypes = [...DEFAULT_REDEPLOY_EVENT_TYPES];
    }
    if (out.eventTypes === undefined || out.eventTypes === null) {
        out.eventTypes = [];
    }
    return out as unknown as InstanceRedeployInputs;
}
