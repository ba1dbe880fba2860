/**
 * The value the Pulumi engine sends for an input that is not known yet (during preview).
 * Kept here as a constant so that core stays free of the Pulumi runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `value` is not known yet (during preview). */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** One invalid input: the property path (e.g. `desiredConfiguration.imageId`) and why. */
export interface Violation {
    property: string;
    reason: string;
}

/**
 * A value as a reason shows it: JSON, cut at 80 characters; NaN, Infinity and -Infinity as such
 * (JSON would show them as null), undefined as "nothing".
 */
export function show(value: unknown): string {
    if (typeof value === "number" && !Number.isFinite(value)) {
        return String(value);
    }
    if (typeof value === "string") {
        return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
    }
    if (value === undefined) {
        return "nothing";
    }
    const text = JSON.stringify(value) ?? typeof value;
    return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/**
 * A copy of the own keys of `news` whose values `keep` accepts (all by default), as plain data
 * properties. An own `__proto__` key (JSON.parse makes one) is left out: assigning it would replace
 * the copy's prototype, so that its values would hide the defaults; noUnknownKeys reports it.
 */
export function copyKeys(
    news: Record<string, unknown>,
    keep: (value: unknown) => boolean = () => true,
): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(news)) {
        if (k !== "__proto__" && keep(v)) {
            out[k] = v;
        }
    }
    return out;
}

/** Options of the checkers of optional values. */
export interface Presence {
    /**
     * The value is an element of a list, where null or undefined is not "not given" but an
     * invalid element: reported at its path with the allowed values.
     */
    required?: boolean;
}

/** Whether the checker of an optional value skips `value`: unknown, or not given (and optional). */
function skipped(value: unknown, opts: Presence): boolean {
    return isUnknown(value) || (!opts.required && (value === undefined || value === null));
}

/**
 * Collects every violation of a set of inputs. Each checker returns whether the value is usable
 * (known and valid), skips values that are not known yet, and records a reason that names the
 * property, the allowed range and the value given.
 */
export class Checker {
    readonly violations: Violation[] = [];

    /** Records a violation. */
    fail(property: string, reason: string): false {
        this.violations.push({ property, reason: `${property} ${reason}` });
        return false;
    }

    /** A required string that is not empty (optionally limited in length or by a pattern). */
    requiredString(
        property: string,
        value: unknown,
        opts: { maxLength?: number; pattern?: RegExp; patternText?: string } = {},
    ): value is string {
        if (isUnknown(value)) {
            return false;
        }
        if (value === undefined || value === null || value === "") {
            return this.fail(property, "is required");
        }
        return this.optionalString(property, value, opts);
    }

    /** An optional string; when given, not empty and within the limits. */
    optionalString(
        property: string,
        value: unknown,
        opts: {
            maxLength?: number;
            minLength?: number;
            pattern?: RegExp;
            patternText?: string;
        } & Presence = {},
    ): value is string {
        if (skipped(value, opts)) {
            return false;
        }
        if (typeof value !== "string") {
            return this.fail(property, `must be a string; got ${show(value)}`);
        }
        const min = opts.minLength ?? 1;
        if (value.length < min) {
            return this.fail(
                property,
                min === 1 ? "must not be empty" : `must be at least ${min} characters long`,
            );
        }
        if (opts.maxLength !== undefined && value.length > opts.maxLength) {
            return this.fail(
                property,
                `must be at most ${opts.maxLength} characters long; got ${value.length}`,
            );
        }
        if (opts.pattern && !opts.pattern.test(value)) {
            return this.fail(
                property,
                `must be ${opts.patternText ?? `of the form ${opts.pattern}`}; got ${show(value)}`,
            );
        }
        return true;
    }

    /** An optional integer within [min, max]. */
    integer(
        property: string,
        value: unknown,
        min: number,
        max: number,
        opts: Presence = {},
    ): value is number {
        if (skipped(value, opts)) {
            return false;
        }
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            return this.fail(
                property,
                `must be an integer from ${min} to ${max}; got ${show(value)}`,
            );
        }
        return true;
    }

    /** An optional boolean. */
    boolean(property: string, value: unknown): value is boolean {
        if (value === undefined || value === null || isUnknown(value)) {
            return false;
        }
        if (typeof value !== "boolean") {
            return this.fail(property, `must be true or false; got ${show(value)}`);
        }
        return true;
    }

    /** An optional value among `allowed`. */
    oneOf<T extends string>(
        property: string,
        value: unknown,
        allowed: readonly T[],
        opts: Presence = {},
    ): value is T {
        if (skipped(value, opts)) {
            return false;
        }
        if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
            return this.fail(
                property,
                `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}; got ${show(value)}`,
            );
        }
        return true;
    }

    /** An optional array (of at most `maxItems`). */
    array(
        property: string,
        value: unknown,
        opts: { minItems?: number; maxItems?: number } = {},
    ): value is unknown[] {
        if (value === undefined || value === null || isUnknown(value)) {
            return false;
        }
        if (!Array.isArray(value)) {
            return this.fail(property, `must be a list; got ${show(value)}`);
        }
        if (opts.minItems !== undefined && value.length < opts.minItems) {
            return this.fail(
                property,
                `must have at least ${opts.minItems} item${opts.minItems === 1 ? "" : "s"}`,
            );
        }
        if (opts.maxItems !== undefined && value.length > opts.maxItems) {
            return this.fail(
                property,
                `must have at most ${opts.maxItems} items; got ${value.length}`,
            );
        }
        return true;
    }

    /** An optional plain object. */
    object(
        property: string,
        value: unknown,
        opts: Presence = {},
    ): value is Record<string, unknown> {
        if (skipped(value, opts)) {
            return false;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            return this.fail(property, `must be an object; got ${show(value)}`);
        }
        return true;
    }

    /**
     * Records a violation for every key of `value` not in `known` (catches misspelt arguments).
     * Keys starting with "__" are Pulumi's (`__provider`), except `__proto__`.
     */
    noUnknownKeys(
        property: string,
        value: Record<string, unknown>,
        known: readonly string[],
    ): void {
        for (const key of Object.keys(value)) {
            if (!known.includes(key) && (!key.startsWith("__") || key === "__proto__")) {
                const path = property ? `${property}.${key}` : key;
                this.fail(path, `is not a known property; the known ones are ${known.join(", ")}`);
            }
        }
    }
}
