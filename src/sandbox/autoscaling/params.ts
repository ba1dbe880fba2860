/**
 * Reading flattened Query-protocol parameters as the AWS SDK sends them: structures as `A.B=x`,
 * Auto Scaling lists as `A.member.N=x` (an empty list as `A=`), EC2 lists as `A.N=x`.
 * Validation errors name the member the way AWS does (lowerCamel path, e.g.
 * 'preferences.minHealthyPercentage').
 */
import { AwsApiError, constraintError, validationError } from "./errors";

/** Flattened request parameters. */
export type Params = Record<string, string>;

/** "Preferences.MinHealthyPercentage" -> "preferences.minHealthyPercentage". */
export function memberPath(name: string): string {
    return name
        .split(".")
        .filter((part) => part !== "member" && !/^\d+$/.test(part))
        .map((part) => part.charAt(0).toLowerCase() + part.slice(1))
        .join(".");
}

/** A required, non-empty parameter; 400 ValidationError otherwise. */
export function requireParam(p: Params, name: string): string {
    const v = p[name];
    if (v === undefined || v === "") {
        throw constraintError("null", memberPath(name), "Member must not be null");
    }
    return v;
}

/** An optional string with a maximum length. */
export function optionalString(p: Params, name: string, maxLength = 255): string | undefined {
    const v = p[name];
    if (v === undefined) {
        return undefined;
    }
    if (v.length < 1 || v.length > maxLength) {
        throw constraintError(
            v,
            memberPath(name),
            v.length < 1
                ? "Member must have length greater than or equal to 1"
                : `Member must have length less than or equal to ${maxLength}`,
        );
    }
    return v;
}

/** An optional integer in [min, max]. */
export function optionalInt(
    p: Params,
    name: string,
    min: number,
    max?: number,
): number | undefined {
    const v = p[name];
    if (v === undefined) {
        return undefined;
    }
    if (!/^-?\d+$/.test(v.trim())) {
        throw validationError(`Invalid value '${v}' for ${name}: an integer is required.`);
    }
    const n = Number(v.trim());
    if (n < min) {
        throw constraintError(
            v,
            memberPath(name),
            `Member must have value greater than or equal to ${min}`,
        );
    }
    if (max !== undefined && n > max) {
        throw constraintError(
            v,
            memberPath(name),
            `Member must have value less than or equal to ${max}`,
        );
    }
    return n;
}

/** An optional boolean ("true" / "false"). */
export function optionalBool(p: Params, name: string): boolean | undefined {
    const v = p[name];
    if (v === undefined) {
        return undefined;
    }
    const lower = v.toLowerCase();
    if (lower !== "true" && lower !== "false") {
        throw validationError(`Invalid value '${v}' for ${name}: true or false is required.`);
    }
    return lower === "true";
}

/** An optional value of an enumeration. */
export function optionalEnum<T extends string>(
    p: Params,
    name: string,
    values: readonly T[],
): T | undefined {
    const v = p[name];
    if (v === undefined) {
        return undefined;
    }
    if (!(values as readonly string[]).includes(v)) {
        throw constraintError(
            v,
            memberPath(name),
            `Member must satisfy enum value set: [${values.join(", ")}]`,
        );
    }
    return v as T;
}

/**
 * The items of an Auto Scaling list `prefix.member.N[.Field]`, in N order, each as its
 * sub-fields ("" = the item itself). `prefix=` (how the SDK sends an empty list) is an empty
 * list; undefined when the list is absent.
 */
export function memberItems(
    p: Params,
    prefix: string,
): { index: number; fields: Record<string, string> }[] | undefined {
    return indexedItems(p, `${prefix}.member`, p[prefix] === "");
}

/** The values of an Auto Scaling list of scalars (`prefix.member.N=value`). */
export function memberValues(p: Params, prefix: string): string[] | undefined {
    const items = memberItems(p, prefix);
    return items?.map((item) => scalarOf(item, `${prefix}.member`));
}

/** The values of an EC2 list of scalars (`prefix.N=value`). */
export function ec2Values(p: Params, prefix: string): string[] | undefined {
    const items = indexedItems(p, prefix, false);
    return items?.map((item) => scalarOf(item, prefix));
}

function scalarOf(item: { index: number; fields: Record<string, string> }, prefix: string): string {
    const extra = Object.keys(item.fields).find((k) => k !== "");
    if (extra !== undefined) {
        throw validationError(`Unexpected parameter ${prefix}.${item.index}.${extra}`);
    }
    return item.fields[""] ?? "";
}

function indexedItems(
    p: Params,
    head: string,
    emptyList: boolean,
): { index: number; fields: Record<string, string> }[] | undefined {
    const items = new Map<number, Record<string, string>>();
    for (const [key, value] of Object.entries(p)) {
        if (!key.startsWith(`${head}.`)) {
            continue;
        }
        const m = /^(\d+)(?:\.(.+))?$/.exec(key.slice(head.length + 1));
        if (!m || Number(m[1]) < 1) {
            throw validationError(`Invalid list parameter ${key}: use ${head}.N with N >= 1.`);
        }
        const index = Number(m[1]);
        const fields = items.get(index) ?? {};
        fields[m[2] ?? ""] = value;
        items.set(index, fields);
    }
    if (items.size === 0) {
        return emptyList ? [] : undefined;
    }
    return [...items.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, fields]) => ({ index, fields }));
}

/** The params under `prefix.` with the prefix removed (e.g. a nested structure). */
export function subParams(p: Params, prefix: string): Params {
    const out: Params = {};
    for (const [k, v] of Object.entries(p)) {
        if (k.startsWith(`${prefix}.`)) {
            out[k.slice(prefix.length + 1)] = v;
        }
    }
    return out;
}

/** Whether any param is `prefix` itself or lies under `prefix.`. */
export function hasPrefix(p: Params, prefix: string): boolean {
    return Object.keys(p).some((k) => k === prefix || k.startsWith(`${prefix}.`));
}

/** Rethrows anything but an AwsApiError as a ValidationError. */
export function asValidation(e: unknown): AwsApiError {
    return e instanceof AwsApiError
        ? e
        : validationError(e instanceof Error ? e.message : String(e));
}
