/** Reading ECS request parameters (flattened RPC params) the way ECS validates them. */
import { invalidParameter, missingParameter, type PopApiError } from "./errors";
import { parseUtc } from "./format";

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

/** An optional, non-empty parameter. */
export function optionalParam(p: Params, name: string): string | undefined {
    const v = p[name];
    return v === undefined || v === "" ? undefined : v;
}

/** An optional integer in [min, max] (default `dflt`); 400 InvalidParameter otherwise. */
export function optionalInt(
    p: Params,
    name: string,
    min: number,
    max: number,
    dflt: number,
): number {
    const v = optionalParam(p, name);
    if (v === undefined) {
        return dflt;
    }
    const range = `Valid values: ${min} to ${max}.`;
    if (!/^-?\d+$/.test(v.trim())) {
        throw invalidParameter(name, `It must be an integer. ${range}`);
    }
    const n = Number(v.trim());
    if (n < min || n > max) {
        throw invalidParameter(name, range);
    }
    return n;
}

/** MaxResults as ECS reads it: below 10 (or absent) means 10, above `max` means `max`. */
export function maxResults(p: Params, max: number): number {
    const n = optionalInt(p, "MaxResults", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 10);
    return Math.min(max, Math.max(10, n));
}

/** An optional boolean ("true"/"false", case-insensitive; default `dflt`). */
export function optionalBool(p: Params, name: string, dflt: boolean): boolean {
    const v = optionalParam(p, name);
    if (v === undefined) {
        return dflt;
    }
    const lower = v.toLowerCase();
    if (lower !== "true" && lower !== "false") {
        throw invalidParameter(name, "Valid values: true, false.");
    }
    return lower === "true";
}

/** A JSON array of strings (e.g. InstanceIds='["i-1","i-2"]'), at most `max` items. */
export function jsonIds(p: Params, name: string, max = 100): string[] | undefined {
    const v = optionalParam(p, name);
    if (v === undefined) {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(v);
    } catch {
        throw invalidParameter(name, "It must be a JSON array of strings.");
    }
    if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== "string")) {
        throw invalidParameter(name, "It must be a JSON array of strings.");
    }
    if (parsed.length > max) {
        throw invalidParameter(name, `It can contain up to ${max} items.`);
    }
    return parsed as string[];
}

/** The values of a repeated parameter (`Name.1`, `Name.2`, ...) in index order, at most `max`. */
export function repeated(
    p: Params,
    name: string,
    max = 100,
    tooMany: () => PopApiError = () => invalidParameter(name, `It can contain up to ${max} items.`),
): string[] {
    const items: [number, string][] = [];
    const head = `${name}.`;
    for (const [key, value] of Object.entries(p)) {
        if (!key.startsWith(head)) {
            continue;
        }
        const index = key.slice(head.length);
        if (!/^[1-9]\d*$/.test(index)) {
            throw invalidParameter(key, `Use ${name}.N with N >= 1.`);
        }
        items.push([Number(index), value]);
    }
    if (items.length > max) {
        throw tooMany();
    }
    return items.sort(([a], [b]) => a - b).map(([, v]) => v);
}

/** An optional UTC time (yyyy-MM-ddTHH:mm:ssZ) as ms. */
export function optionalTime(p: Params, name: string): number | undefined {
    const v = optionalParam(p, name);
    if (v === undefined) {
        return undefined;
    }
    const ms = parseUtc(v);
    if (ms === undefined) {
        throw invalidParameter(name, "Use the yyyy-MM-ddTHH:mm:ssZ format (UTC).");
    }
    return ms;
}

/** A NextToken issued by `encodeToken` (an offset); 0 when absent. */
export function decodeToken(p: Params): number {
    const v = optionalParam(p, "NextToken");
    if (v === undefined) {
        return 0;
    }
    const m = /^offset:(\d+)$/.exec(Buffer.from(v, "base64url").toString("utf8"));
    if (!m) {
        throw invalidParameter("NextToken", "It was not returned by a previous call.");
    }
    return Number(m[1]);
}

/** The NextToken for the page starting at `offset`. */
export function encodeToken(offset: number): string {
    return Buffer.from(`offset:${offset}`).toString("base64url");
}

/** One page of `all`: by NextToken/MaxResults when either is given, else PageNumber/PageSize. */
export function paginate<T>(
    p: Params,
    all: T[],
    maxPageSize: number,
): { page: T[]; pageNumber: number; pageSize: number; nextToken?: string } {
    if (p["MaxResults"] !== undefined || p["NextToken"] !== undefined) {
        const size = maxResults(p, maxPageSize);
        const offset = decodeToken(p);
        const out: { page: T[]; pageNumber: number; pageSize: number; nextToken?: string } = {
            page: all.slice(offset, offset + size),
            pageNumber: 1,
            pageSize: size,
        };
        if (offset + size < all.length) {
            out.nextToken = encodeToken(offset + size);
        }
        return out;
    }
    const pageNumber = optionalInt(p, "PageNumber", 1, Number.MAX_SAFE_INTEGER, 1);
    const pageSize = optionalInt(p, "PageSize", 1, maxPageSize, 10);
    const start = (pageNumber - 1) * pageSize;
    return { page: all.slice(start, start + pageSize), pageNumber, pageSize };
}
