/**
 * Event notifications in the envelope ECS sends them in (seed 002): one for every status change of
 * a system event (`Instance:<EventType>:<Status>`, level CRITICAL) and of an instance
 * (`Instance:StateChange`, level INFO).
 */
import { randomUUID } from "node:crypto";
import { ecsSeconds, notificationTime } from "./format";
import type { EcsNotification } from "./types";

/** The account id the sandbox's resources belong to (userId and ARNs of notifications). */
export const SANDBOX_ACCOUNT_ID = "1690700000000030";

/** The fields of a system event a notification reports. */
export interface NotifiedEvent {
    id: string;
    instanceId: string;
    regionId: string;
    type: string;
    status: string;
    publishedAt: number;
    notBefore?: number;
    executeStart?: number;
    executeFinish?: number;
}

/** Statuses whose notifications carry executeStartTime / executeFinishTime (seed 002). */
const WITH_EXECUTE_TIMES = new Set(["Executing", "Executed", "Canceled", "Avoided"]);

/** Collects the notifications "sent" so far, in the order they happened. */
export class Notifier {
    private readonly list: EcsNotification[] = [];

    constructor(private readonly accountId: string) {}

    /** Everything sent so far (copies). */
    sent(): EcsNotification[] {
        return this.list.map((n) => ({ ...n, content: { ...n.content } }));
    }

    /** Forgets what was sent. */
    clear(): void {
        this.list.splice(0);
    }

    /** Instance:StateChange. */
    stateChange(instanceId: string, regionId: string, state: string, t: number): void {
        this.push(instanceId, regionId, "INFO", "Instance:StateChange", t, {
            resourceId: instanceId,
            resourceType: "ALIYUN::ECS::Instance",
            state,
        });
    }

    /** Instance:<EventType>:<Status>. */
    systemEvent(e: NotifiedEvent, t: number): void {
        const content: Record<string, string> = {
            eventId: e.id,
            publishTime: ecsSeconds(e.publishedAt),
        };
        if (e.notBefore !== undefined) {
            content["notBefore"] = ecsSeconds(e.notBefore);
        }
        content["instanceId"] = e.instanceId;
        content["eventType"] = e.type;
        content["eventStatus"] = e.status;
        if (WITH_EXECUTE_TIMES.has(e.status)) {
            if (e.executeStart !== undefined) {
                content["executeStartTime"] = ecsSeconds(e.executeStart);
            }
            if (e.executeFinish !== undefined) {
                content["executeFinishTime"] = ecsSeconds(e.executeFinish);
            }
        }
        const name = `Instance:${e.type}:${e.status}`;
        this.push(e.instanceId, e.regionId, "CRITICAL", name, t, content);
    }

    private push(
        instanceId: string,
        regionId: string,
        level: string,
        name: string,
        t: number,
        content: Record<string, string>,
    ): void {
        this.list.push({
            ver: "1.0",
            id: randomUUID().toUpperCase(),
            product: "ECS",
            resourceId: `acs:ecs:${regionId}:${this.accountId}:instance/${instanceId}`,
            level,
            name,
            userId: this.accountId,
            eventTime: notificationTime(t),
            regionId,
            content,
        });
    }
}
