/**
 * A JSON text of `value` with object keys sorted at every depth, so that two structurally equal
 * values always give the same text (used for diffs and idempotency tokens). `undefined` members
 * are dropped, as JSON does.
 */
export function stableStringify(value: unknown): string {
    return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : sortKeys(v)));
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const v = (value as Record<string, unknown>)[key];
            if (v !== undefined) {
                out[key] = sortKeys(v);
            }
        }
        return out;
    }
    return value;
}

/** Whether two values are structurally equal (key order and `undefined` members ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
    return stableStringify(a) === stableStringify(b);
}
