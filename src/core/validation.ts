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

function show(value: unknown): string {
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
        } = {},
    ): value is string {
        if (value === undefined || value === null || isUnknown(value)) {
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
    integer(property: string, value: unknown, min: number, max: number): value is number {
        if (value === undefined || value === null || isUnknown(value)) {
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
    oneOf<T extends string>(property: string, value: unknown, allowed: readonly T[]): value is T {
        if (value === undefined || value === null || isUnknown(value)) {
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
    object(property: string, value: unknown): value is Record<string, unknown> {
        if (value === undefined || value === null || isUnknown(value)) {
            return false;
        }
        if (typeof value !== "object" || Array.isArray(value)) {
            return this.fail(property, `must be an object; got ${show(value)}`);
        }
        return true;
    }

    /** Records a violation for every key of `value` not in `known` (catches misspelt arguments). */
    noUnknownKeys(
        property: string,
        value: Record<string, unknown>,
        known: readonly string[],
    ): void {
        for (const key of Object.keys(value)) {
            if (!known.includes(key) && !key.startsWith("__")) {
                const path = property ? `${property}.${key}` : key;
                this.fail(path, `is not a known property; the known ones are ${known.join(", ")}`);
            }
        }
    }
}
