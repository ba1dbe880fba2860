import { heartbeatMarginMs, heartbeatReachSeconds } from "../../core/heartbeats";
import { Checker, copyKeys, isUnknown, Violation } from "../../core/validation";
import { checkAlicloudLocation } from "../common/alicloudLocation";
import { checkAwsLocation } from "../common/awsLocation";
import {
    AWS_MAX_GLOBAL_TIMEOUT_SECONDS,
    HeartbeatCloud,
    HeartbeatPolicyInputs,
    HeartbeatPolicyValue,
    HookDescription,
    POLICY_DEFAULTS,
    POLICY_INPUT_KEYS,
    POLICY_LIMITS,
} from "./types";

/** The result of {@link validateHeartbeatPolicy}: inputs with defaults, and every violation. */
export interface ValidatedPolicy {
    inputs: HeartbeatPolicyInputs;
    violations: Violation[];
}

const known = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The Pending time (minutes) that `maxHeartbeats` heartbeats of `heartbeatTimeoutSeconds` each
 * surely cover, each sent a margin before the window closes, not counting the hook's own first
 * window.
 */
export function reachableMinutes(maxHeartbeats: number, heartbeatTimeoutSeconds: number): number {
    return Math.floor(heartbeatReachSeconds(maxHeartbeats, heartbeatTimeoutSeconds) / 60);
}

/** The smallest integer in [lo, hi] for which the monotonic `ok` holds, if any. */
function smallest(lo: number, hi: number, ok: (v: number) => boolean): number | undefined {
    if (!ok(hi)) {
        return undefined;
    }
    while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (ok(mid)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

/** AWS's GlobalTimeout of a hook with this heartbeat timeout, in minutes. */
export function awsGlobalTimeoutMinutes(heartbeatTimeoutSeconds: number): number {
    return Math.floor(Math.min(AWS_MAX_GLOBAL_TIMEOUT_SECONDS, 100 * heartbeatTimeoutSeconds) / 60);
}

/**
 * Checks every argument of a LifecycleHeartbeatPolicy against its cloud's documented ranges, and
 * the combination against the caps (a maxPendingMinutes the heartbeats could never reach, or
 * beyond what the cloud allows), and fills in defaults. Pure: no cloud call.
 */
export function validateHeartbeatPolicy(
    cloud: HeartbeatCloud,
    news: Record<string, unknown>,
): ValidatedPolicy {
    const c = new Checker();
    const limits = POLICY_LIMITS[cloud];
    c.noUnknownKeys("", news, POLICY_INPUT_KEYS[cloud]);
    if (cloud === "alicloud") {
        c.requiredString("scalingGroupId", news.scalingGroupId, { maxLength: 64 });
        c.requiredString("lifecycleHookId", news.lifecycleHookId, { maxLength: 64 });
        checkAlicloudLocation(c, news);
    } else {
        c.requiredString("autoScalingGroupName", news.autoScalingGroupName, { maxLength: 255 });
        c.requiredString("lifecycleHookName", news.lifecycleHookName, {
            maxLength: 255,
            pattern: /^[A-Za-z0-9\-_/]+$/,
            patternText: "1 to 255 characters: letters, digits, -, _ and /",
        });
        checkAwsLocation(c, news);
    }
    const [hbLo, hbHi] = limits.heartbeatTimeoutSeconds;
    c.integer("heartbeatTimeoutSeconds", news.heartbeatTimeoutSeconds, hbLo, hbHi);
    const [nLo, nHi] = limits.maxHeartbeats;
    c.integer("maxHeartbeats", news.maxHeartbeats, nLo, nHi);
    const [pLo, pHi] = limits.maxPendingMinutes;
    c.integer("maxPendingMinutes", news.maxPendingMinutes, pLo, pHi);
    c.boolean("servicePendingActions", news.servicePendingActions);
    if (news.triggers !== undefined && news.triggers !== null && !isUnknown(news.triggers)) {
        if (typeof news.triggers !== "object") {
            c.fail("triggers", "must be an object or a list of values");
        }
    }

    const inputs = withDefaults(cloud, news);
    if (c.violations.length === 0) {
        const hb = inputs.heartbeatTimeoutSeconds;
        const n = inputs.maxHeartbeats;
        const pending = inputs.maxPendingMinutes;
        if (known(hb) && known(n) && known(pending)) {
            c.violations.push(...combinationViolations(cloud, hb, n, pending));
        }
    }
    return { inputs, violations: c.violations };
}

/** What a heartbeat timeout, a heartbeat count and a pending cap say together. */
function combinationViolations(
    cloud: HeartbeatCloud,
    hb: number,
    n: number,
    pending: number,
): Violation[] {
    const out: Violation[] = [];
    const reach = reachableMinutes(n, hb);
    if (reach < 1) {
        out.push({
            property: "maxHeartbeats",
            reason:
                `maxHeartbeats (${n}) heartbeats of heartbeatTimeoutSeconds (${hb}) cover less than a ` +
                "minute; raise either",
        });
    } else if (pending > reach) {
        const [hbLo, hbHi] = POLICY_LIMITS[cloud].heartbeatTimeoutSeconds;
        const [, nHi] = POLICY_LIMITS[cloud].maxHeartbeats;
        const enough = (h: number, k: number): boolean => reachableMinutes(k, h) >= pending;
        const needHb = smallest(hbLo, hbHi, (h) => enough(h, n));
        const needN = smallest(1, nHi, (k) => enough(hb, k));
        const ways = [
            needHb !== undefined
                ? `raise heartbeatTimeoutSeconds to at least ${needHb}`
                : undefined,
            needN !== undefined ? `raise maxHeartbeats to at least ${needN}` : undefined,
            `lower maxPendingMinutes to ${reach}`,
        ].filter(Boolean);
        const margin = Math.round(heartbeatMarginMs(hb * 1000) / 1000);
        out.push({
            property: "maxPendingMinutes",
            reason:
                `maxPendingMinutes (${pending}) can never be reached: ${n} heartbeats of ${hb} s, each ` +
                `sent ${margin} s before the window it extends closes, keep an action pending at most ` +
                `${reach} minutes; ${ways.join(", or ")}`,
        });
    }
    if (cloud === "aws") {
        const global = awsGlobalTimeoutMinutes(hb);
        if (pending > global) {
            out.push({
                property: "maxPendingMinutes",
                reason:
                    `maxPendingMinutes (${pending}) exceeds what AWS allows a hook with a heartbeat ` +
                    `timeout of ${hb} s: its global timeout, min(48 hours, 100 x ${hb} s) = ${global} minutes`,
            });
        }
    }
    return out;
}

function withDefaults(cloud: HeartbeatCloud, news: Record<string, unknown>): HeartbeatPolicyInputs {
    const out = copyKeys(news);
    const defaults: Record<string, unknown> = { ...POLICY_DEFAULTS[cloud] };
    for (const [k, v] of Object.entries(defaults)) {
        if (out[k] === undefined || out[k] === null) {
            out[k] = v;
        }
    }
    if (out.servicePendingActions === undefined || out.servicePendingActions === null) {
        out.servicePendingActions = false;
    }
    const hb = out.heartbeatTimeoutSeconds;
    const n = out.maxHeartbeats;
    if (
        (out.maxPendingMinutes === undefined || out.maxPendingMinutes === null) &&
        known(hb) &&
        known(n)
    ) {
        const [, cap] = POLICY_LIMITS[cloud].maxPendingMinutes;
        const global = cloud === "aws" ? awsGlobalTimeoutMinutes(hb) : cap;
        out.maxPendingMinutes = Math.max(1, Math.min(cap, global, reachableMinutes(n, hb)));
    }
    return out as unknown as HeartbeatPolicyInputs;
}

/**
 * The policy resolved against its hook (what DescribeLifecycleHooks said), or why it cannot be:
 * on AWS each heartbeat restarts the hook's own timeout, so the policy's must be the hook's, and
 * the hook's global timeout caps maxPendingMinutes.
 */
export function resolvePolicy(
    cloud: HeartbeatCloud,
    inputs: HeartbeatPolicyInputs,
    hook: HookDescription,
): { value: HeartbeatPolicyValue } | { error: string } {
    let hb = inputs.heartbeatTimeoutSeconds;
    if (cloud === "aws") {
        if (hb !== undefined && hb !== hook.timeoutSeconds) {
            return {
                error:
                    `heartbeatTimeoutSeconds (${hb}) is not the hook's HeartbeatTimeout (${hook.timeoutSeconds} s): ` +
                    "on AWS every heartbeat restarts the hook's own timeout, so set it to " +
                    `${hook.timeoutSeconds} or leave it unset (or change the hook with PutLifecycleHook)`,
            };
        }
        hb = hook.timeoutSeconds;
    }
    if (hb === undefined) {
        return { error: "heartbeatTimeoutSeconds is not known" };
    }
    const n = inputs.maxHeartbeats;
    const [, cap] = POLICY_LIMITS[cloud].maxPendingMinutes;
    const pending =
        inputs.maxPendingMinutes ??
        Math.max(
            1,
            Math.min(
                cap,
                cloud === "aws" ? awsGlobalTimeoutMinutes(hb) : cap,
                reachableMinutes(n, hb),
            ),
        );
    const violations = combinationViolations(cloud, hb, n, pending);
    if (violations.length > 0) {
        return { error: violations.map((v) => v.reason).join("; ") };
    }
    return {
        value: {
            cloud,
            group: String(cloud === "aws" ? inputs.autoScalingGroupName : inputs.scalingGroupId),
            hook: hook.id,
            hookName: hook.name,
            transition: hook.transition,
            defaultResult: hook.defaultResult,
            hookTimeoutSeconds: hook.timeoutSeconds,
            heartbeatTimeoutSeconds: hb,
            maxHeartbeats: n,
            maxPendingMinutes: pending,
        },
    };
}

/**
 * Checks a refresh's `heartbeatPolicies`: each a policy value (a LifecycleHeartbeatPolicy's
 * `policy` output) of this cloud, for this refresh's group. Unknown values are accepted.
 */
export function checkHeartbeatPolicies(
    c: Checker,
    cloud: HeartbeatCloud,
    group: unknown,
    value: unknown,
): void {
    if (!c.array("heartbeatPolicies", value, { maxItems: 10 })) {
        return;
    }
    const hooks = new Set<string>();
    value.forEach((p, i) => {
        const path = `heartbeatPolicies[${i}]`;
        if (!c.object(path, p, { required: true })) {
            return;
        }
        if (isUnknown(p.cloud) || isUnknown(p.group) || isUnknown(p.hook)) {
            return;
        }
        if (p.cloud !== cloud || typeof p.hook !== "string" || typeof p.group !== "string") {
            c.fail(
                path,
                `must be the policy output of ${cloud === "aws" ? "an" : "a"} ${cloud}.LifecycleHeartbeatPolicy (pass the policy resource itself)`,
            );
            return;
        }
        if (typeof group === "string" && !isUnknown(group) && p.group !== group) {
            c.fail(path, `is a policy for group ${p.group}, not for this refresh's group ${group}`);
        }
        // A policy written by hand (not a resource's output) gets the same ranges.
        const limits = POLICY_LIMITS[cloud];
        const [hbLo, hbHi] = limits.heartbeatTimeoutSeconds;
        c.integer(`${path}.heartbeatTimeoutSeconds`, p.heartbeatTimeoutSeconds, hbLo, hbHi, {
            required: true,
        });
        c.integer(`${path}.hookTimeoutSeconds`, p.hookTimeoutSeconds, hbLo, hbHi, {
            required: true,
        });
        const [nLo, nHi] = limits.maxHeartbeats;
        c.integer(`${path}.maxHeartbeats`, p.maxHeartbeats, nLo, nHi, { required: true });
        const [pLo, pHi] = limits.maxPendingMinutes;
        c.integer(`${path}.maxPendingMinutes`, p.maxPendingMinutes, pLo, pHi, { required: true });
        if (hooks.has(p.hook)) {
            c.fail(path, `repeats lifecycle hook ${p.hook}; give each hook one policy`);
        }
        hooks.add(p.hook);
    });
}
