/**
 * The unsigned JSON admin API under /_sandbox/, so an out-of-process simulator can be driven:
 * GET calls | instances | tasks | events[?instanceId=] | notifications;
 * POST instances (EcsInstanceSeed) | events ({instanceId, ...EcsEventSeed}) |
 * scenario ({instanceId, ...EcsScenario}) | faults (EcsFaults) | reset.
 */
import {
    AdminError,
    type AdminResponse,
    answerAdmin,
    copyDefined,
    optionalBoolean,
    optionalNumber,
    optionalString,
    parseFaultsJson,
    parseJsonObject,
} from "../common/admin";
import type {
    EcsEventSeed,
    EcsFaults,
    EcsInstanceSeed,
    EcsNotification,
    EcsScenario,
    RecordedCall,
    SimEvent,
    SimInstance,
    SimTask,
} from "./types";

export type { AdminResponse } from "../common/admin";

/** What the admin API drives (an EcsSimulator). */
export interface AdminTarget {
    readonly calls: RecordedCall[];
    instances(): SimInstance[];
    tasks(): SimTask[];
    events(instanceId?: string): SimEvent[];
    notifications(): EcsNotification[];
    addInstance(seed: EcsInstanceSeed): void;
    addEvent(instanceId: string, seed: EcsEventSeed): string;
    setScenario(instanceId: string, scenario: EcsScenario): void;
    setFaults(faults: EcsFaults): void;
    reset(): void;
}

function asObject(v: unknown, what: string): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new AdminError(400, `${what} must be a JSON object`);
    }
    return v as Record<string, unknown>;
}

/** A finite number (negative allowed), or undefined. */
function optionalFinite(o: Record<string, unknown>, key: string): number | undefined {
    const v = o[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
        throw new AdminError(400, `${key} must be a finite number`);
    }
    return v;
}

/** Reads an EcsEventSeed from JSON. */
export function parseEventSeed(o: Record<string, unknown>): EcsEventSeed {
    const eventType = optionalString(o, "eventType");
    if (!eventType) {
        throw new AdminError(400, "eventType (string) is required");
    }
    return copyDefined<EcsEventSeed>(
        { eventType },
        {
            eventId: optionalString(o, "eventId"),
            status: optionalString(o, "status"),
            notBeforeSeconds: optionalFinite(o, "notBeforeSeconds"),
            simulated: optionalBoolean(o, "simulated"),
        },
    );
}

/** Reads an EcsInstanceSeed from JSON. */
export function parseInstanceSeed(o: Record<string, unknown>): EcsInstanceSeed {
    const instanceId = optionalString(o, "instanceId");
    if (!instanceId) {
        throw new AdminError(400, "instanceId (string) is required");
    }
    const status = optionalString(o, "status");
    if (status !== undefined && status !== "Running" && status !== "Stopped") {
        throw new AdminError(400, "status must be Running or Stopped");
    }
    const events = o["events"];
    if (events !== undefined && !Array.isArray(events)) {
        throw new AdminError(400, "events must be an array");
    }
    return copyDefined<EcsInstanceSeed>(
        { instanceId },
        {
            regionId: optionalString(o, "regionId"),
            zoneId: optionalString(o, "zoneId"),
            status,
            instanceType: optionalString(o, "instanceType"),
            dedicatedHostId: optionalString(o, "dedicatedHostId"),
            securityLocked: optionalBoolean(o, "securityLocked"),
            expired: optionalBoolean(o, "expired"),
            localDisks: optionalNumber(o, "localDisks"),
            events: (events as unknown[] | undefined)?.map((e, i) =>
                parseEventSeed(asObject(e, `events[${i}]`)),
            ),
        },
    );
}

/** Reads an EcsScenario from JSON. */
export function parseScenario(o: Record<string, unknown>): EcsScenario {
    let failWith: EcsScenario["failWith"];
    if (o["failWith"] !== undefined) {
        const f = asObject(o["failWith"], "failWith");
        const code = optionalString(f, "code");
        const message = optionalString(f, "message");
        if (!code || message === undefined) {
            throw new AdminError(400, "failWith must be {code: string, message: string}");
        }
        failWith = { code, message };
    }
    return copyDefined<EcsScenario>(
        {},
        {
            stopSeconds: optionalNumber(o, "stopSeconds"),
            migrateSeconds: optionalNumber(o, "migrateSeconds"),
            startSeconds: optionalNumber(o, "startSeconds"),
            failWith,
            diskError: optionalBoolean(o, "diskError"),
            simulatedRefusalMessage: optionalString(o, "simulatedRefusalMessage"),
        },
    );
}

function knownInstance(target: AdminTarget, o: Record<string, unknown>): string {
    const id = optionalString(o, "instanceId");
    if (!id) {
        throw new AdminError(400, "instanceId is required");
    }
    if (!target.instances().some((i) => i.instanceId === id)) {
        throw new AdminError(404, `unknown instance ${id}`);
    }
    return id;
}

function route(
    target: AdminTarget,
    method: string,
    name: string,
    query: URLSearchParams,
    body: Buffer,
): AdminResponse {
    switch (`${method} ${name}`) {
        case "GET calls":
            return { status: 200, body: target.calls };
        case "GET instances":
            return { status: 200, body: target.instances() };
        case "GET tasks":
            return { status: 200, body: target.tasks() };
        case "GET events":
            return { status: 200, body: target.events(query.get("instanceId") ?? undefined) };
        case "GET notifications":
            return { status: 200, body: target.notifications() };
        case "POST instances": {
            const seed = parseInstanceSeed(parseJsonObject(body));
            if (target.instances().some((i) => i.instanceId === seed.instanceId)) {
                throw new AdminError(409, `instance ${seed.instanceId} already exists`);
            }
            target.addInstance(seed);
            return { status: 201, body: { ok: true } };
        }
        case "POST events": {
            const o = parseJsonObject(body);
            const id = knownInstance(target, o);
            const eventId = target.addEvent(id, parseEventSeed(o));
            return { status: 201, body: { ok: true, eventId } };
        }
        case "POST scenario": {
            const o = parseJsonObject(body);
            const id = knownInstance(target, o);
            target.setScenario(id, parseScenario(o));
            return { status: 200, body: { ok: true } };
        }
        case "POST faults":
            target.setFaults(parseFaultsJson<EcsFaults>(parseJsonObject(body)));
            return { status: 200, body: { ok: true } };
        case "POST reset":
            target.reset();
            return { status: 200, body: { ok: true } };
        default:
            throw new AdminError(404, `no admin endpoint ${method} /_sandbox/${name}`);
    }
}

/** Answers one admin request (`name` is the path after "/_sandbox/"). */
export function handleAdmin(
    target: AdminTarget,
    method: string,
    name: string,
    query: URLSearchParams,
    body: Buffer,
): AdminResponse {
    return answerAdmin(() =>
        route(target, method.toUpperCase(), name.replace(/\/+$/, ""), query, body),
    );
}
