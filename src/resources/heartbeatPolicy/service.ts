/**
 * Heartbeat policies at work: during a refresh's wait (one keeper per policy, scoped to the
 * refresh), and on their own (servicePendingActions: the hook's actions pending now).
 */
import type { Clock } from "../../core/clock";
import { CloudError, isNetworkError, messageOf } from "../../core/errors";
import { HeartbeatKeeper, HeartbeatReport } from "../../core/heartbeats";
import type { LifecycleHookPort } from "./ports";
import type { HeartbeatPolicyValue, HookDescription } from "./types";

/** The hook a resolved policy names, as the port needs it. */
export function hookOf(p: HeartbeatPolicyValue): HookDescription {
    return {
        id: p.hook,
        name: p.hookName,
        transition: p.transition,
        defaultResult: p.defaultResult,
        timeoutSeconds: p.hookTimeoutSeconds,
    };
}

function keeperFor(
    port: LifecycleHookPort,
    p: HeartbeatPolicyValue,
    clock: Clock,
    log: (line: string) => void,
    refreshTaskId?: string,
): HeartbeatKeeper {
    const hook = hookOf(p);
    return new HeartbeatKeeper(
        port.target(p.group, hook, refreshTaskId),
        {
            hookId: p.hook,
            heartbeatTimeoutSeconds: p.heartbeatTimeoutSeconds,
            maxHeartbeats: p.maxHeartbeats,
            maxPendingMinutes: p.maxPendingMinutes,
            hookTimeoutSeconds: p.hookTimeoutSeconds,
            defaultResult: p.defaultResult,
        },
        port.caps(hook),
        clock,
        (line) => log(`heartbeat: ${line}`),
    );
}

/**
 * The heartbeat duty of one refresh: after each observation of the running task, the due
 * heartbeats of every policy's hook (for the task's own new instances); reports what happened.
 */
export class RefreshHeartbeats {
    private readonly keepers = new Map<string, HeartbeatKeeper[]>();

    constructor(
        private readonly port: LifecycleHookPort,
        private readonly policies: readonly HeartbeatPolicyValue[],
        private readonly clock: Clock,
        private readonly log: (line: string) => void,
    ) {}

    /** Sends what is due for task `taskId`; the ms within which to come back. */
    async during(taskId: string): Promise<number> {
        let keepers = this.keepers.get(taskId);
        if (!keepers) {
            keepers = this.policies.map((p) =>
                keeperFor(this.port, p, this.clock, this.log, taskId),
            );
            this.keepers.set(taskId, keepers);
        }
        let next = Infinity;
        for (const k of keepers) {
            try {
                next = Math.min(next, await k.tick());
            } catch (err) {
                // One hook's failed look does not keep the others' heartbeats from going out.
                this.log(`heartbeat: warning: ${messageOf(err)}; looking again shortly`);
                next = Math.min(next, 10_000);
            }
        }
        return next;
    }

    /** A last look once the wait is over, so that the report says which actions ended. */
    async finish(): Promise<void> {
        for (const k of [...this.keepers.values()].flat()) {
            await k.tick({ send: false });
        }
    }

    /** Every action seen, over every task waited on. */
    report(): HeartbeatReport[] {
        return [...this.keepers.values()].flat().flatMap((k) => k.report());
    }

    /** Lines naming each action whose heartbeats a cap or an error stopped. */
    stopped(): string[] {
        return this.report()
            .filter((r) => r.state === "stopped")
            .map(
                (r) => `${r.instanceId} in hook ${r.hookId}: heartbeats stopped: ${r.reason ?? ""}`,
            );
    }
}

/**
 * How long servicePendingActions goes on through looks that fail transiently (throttling, 5xx,
 * the network, after the client's own retries) before it fails: a wait that cannot see the
 * pending actions cannot keep them alive, and must not pass for one that did.
 */
export const BLIND_LOOKS_LIMIT_MS = 5 * 60_000;

/** Whether a look that failed may succeed if made again (a refusal will not). */
function mayPass(err: unknown): boolean {
    return err instanceof CloudError ? err.transient : isNetworkError(err);
}

/**
 * servicePendingActions: keeps the hook's actions pending now (and any that begin meanwhile)
 * alive until none is left whose heartbeats go on: each completed, or reached the policy's caps.
 * Bounded by maxPendingMinutes plus the hook's first window. It fails, with the cloud's reason,
 * when a look is refused (a missing permission) or looks have failed for BLIND_LOOKS_LIMIT_MS.
 */
export async function servePendingActions(
    port: LifecycleHookPort,
    policy: HeartbeatPolicyValue,
    clock: Clock,
    log: (line: string) => void,
): Promise<HeartbeatReport[]> {
    const keeper = keeperFor(port, policy, clock, log);
    const deadline =
        clock.now() + policy.maxPendingMinutes * 60_000 + policy.hookTimeoutSeconds * 1000 + 60_000;
    let looked = false;
    /** When the looks began to fail (undefined while they succeed). */
    let blindSince: number | undefined;
    for (;;) {
        let next: number;
        try {
            next = await keeper.tick();
            looked = true;
            blindSince = undefined;
        } catch (err) {
            blindSince ??= clock.now();
            const blind = clock.now() - blindSince;
            if (!mayPass(err) || blind >= BLIND_LOOKS_LIMIT_MS) {
                throw new Error(
                    `servicePendingActions cannot see the pending actions of hook ${policy.hook}` +
                        (mayPass(err)
                            ? ` (its looks have failed for ${Math.round(blind / 1000)} s)`
                            : "") +
                        `: ${messageOf(err)}`,
                    { cause: err },
                );
            }
            // A failed look (after the client's own retries) is tried again for a while: the
            // actions are still pending and their windows still close.
            log(`heartbeat: warning: ${messageOf(err)}; looking again shortly`);
            next = 10_000;
        }
        const report = keeper.report();
        if (looked && !report.some((r) => r.state === "pending")) {
            if (report.length === 0) {
                log(`no lifecycle action is pending on hook ${policy.hook}`);
            }
            return report;
        }
        const left = deadline - clock.now();
        if (left <= 0) {
            log(`stopped waiting: maxPendingMinutes (${policy.maxPendingMinutes}) has passed`);
            return report;
        }
        await clock.sleep(Math.min(next, left));
    }
}
