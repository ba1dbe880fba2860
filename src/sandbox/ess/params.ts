/** Reading flattened RPC parameters (`A.1.B=x`) the way ESS validates them. */
import { invalidParameter, missingParameter } from "./errors";

/** Flattened request parameters. */
export type Params = Record<string, string>;

/** A required, non-empty parameter; 400 MissingParameter naming it otherwise. */
export function requireParam(p: Params, name: string): string {
    const v = p[name];
    if (v === undefined || v === "") {
        throw missingParameter(name);
    }
    return v;
}

/** Parses an integer parameter value; 400 InvalidParameter naming `name` if it is not one. */
export function parseInteger(name: string, value: string, min: number, max: number): number {
    const range = `Valid values: ${min} to ${max}.`;
    if (!/^-?\d+$/.test(value.trim())) {
        throw invalidParameter(name, `It must be an integer. ${range}`);
    }
    const n = Number(value.trim());
    if (n < min || n > max) {
        throw invalidParameter(name, range);
    }
    return n;
}

/** An optional integer in [min, max] (default `dflt`). */
export function optionalInt(
    p: Params,
    name: string,
    min: number,
    max: number,
    dflt: number,
): number {
    const v = p[name];
    return v === undefined || v === "" ? dflt : parseInteger(name, v, min, max);
}

/** An optional boolean ("true"/"false", case-insensitive; default `dflt`). */
export function optionalBool(p: Params, name: string, dflt: boolean): boolean {
    const v = p[name];
    if (v === undefined || v === "") {
        return dflt;
    }
    const lower = v.toLowerCase();
    if (lower !== "true" && lower !== "false") {
        throw invalidParameter(name, "Valid values: true, false.");
    }
    return lower === "true";
}

/** One element of a repeated parameter: its 1-based index and its sub-fields ("" = itself). */
export interface IndexedItem {
    index: number;
    fields: Record<string, string>;
}

/** Collects `prefix.N` / `prefix.N.Field...` params into items sorted by N. */
export function indexed(p: Params, prefix: string): IndexedItem[] {
    const items = new Map<number, Record<string, string>>();
    const head = `${prefix}.`;
    for (const [key, value] of Object.entries(p)) {
        if (!key.startsWith(head)) {
            continue;
        }
        const m = /^(\d+)(?:\.(.+))?$/.exec(key.slice(head.length));
        if (!m) {
            throw invalidParameter(key, `Use ${prefix}.N with N >= 1.`);
        }
        const index = Number(m[1]);
        if (index < 1) {
            throw invalidParameter(key, `Use ${prefix}.N with N >= 1.`);
        }
        const fields = items.get(index) ?? {};
        fields[m[2] ?? ""] = value;
        items.set(index, fields);
    }
    return [...items.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, fields]) => ({ index, fields }));
}

/**
 * The values of a repeated scalar parameter (`prefix.N=value`), in N order; more than `max` of
 * them is refused with InvalidParameter (the pages give the limits, not the code).
 */
export function indexedValues(p: Params, prefix: string, max?: number): string[] {
    const items = indexed(p, prefix);
    if (max !== undefined && items.length > max) {
        throw invalidParameter(`${prefix}.N`, `It can contain up to ${max} items.`);
    }
    return items.map((item) => {
        const extra = Object.keys(item.fields).find((k) => k !== "");
        if (extra !== undefined) {
            throw invalidParameter(`${prefix}.${item.index}.${extra}`, "Unknown field.");
        }
        return item.fields[""] ?? "";
    });
}

/** Flattens a JSON value the way the SDK's OpenApiUtil.query does (arrays are 1-based). */
export function flatten(value: unknown, prefix: string, out: Params): Params {
    if (value === null || value === undefined) {
        return out;
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => flatten(v, `${prefix}.${i + 1}`, out));
    } else if (typeof value === "object") {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            flatten(v, prefix === "" ? k : `${prefix}.${k}`, out);
        }
    } else if (typeof value === "string") {
        out[prefix] = value;
    } else {
        out[prefix] = JSON.stringify(value) ?? "";
    }
    return out;
}
