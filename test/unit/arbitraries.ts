/**
 * Shared fast-check arbitraries and the property harness for the `check` of every resource
 * (issue 6, "Bad input"): junk values, valid-object helpers, paths, and the properties every
 * resource's check must hold — nothing throws, nothing calls a cloud, every valid object passes,
 * every invalid value is reported at its property path, unknown values are accepted.
 */
import dns from "dns";
import net from "net";
import fc from "fast-check";
import type * as pulumi from "@pulumi/pulumi";
import { Clock } from "../../src/core/clock";
import { UNKNOWN } from "../../src/core/validation";

export { UNKNOWN };

export type Props = Record<string, unknown>;
export type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------
// Counting cases
// ---------------------------------------------------------------------------------------------

/** Generated cases per property, printed at the end of each file (issue 6 asks for the counts). */
export class CaseCounter {
    private readonly counts = new Map<string, number>();

    add(name: string): void {
        this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }

    total(): number {
        let n = 0;
        for (const c of this.counts.values()) n += c;
        return n;
    }

    private startedAt = Date.now();
    private cpuAtStart = process.cpuUsage();

    /** Starts the clock of the report. */
    start(): void {
        this.startedAt = Date.now();
        this.cpuAtStart = process.cpuUsage();
    }

    /** `property tests: <label> <name> N cases, ..., total T cases in S s (C s of CPU)`. */
    report(label: string): string {
        const parts = [...this.counts].map(([name, n]) => `${label} ${name} ${n} cases`);
        const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
        const cpu = process.cpuUsage(this.cpuAtStart);
        const cpuSeconds = ((cpu.user + cpu.system) / 1e6).toFixed(1);
        return (
            `property tests: ${parts.join(", ")}; total ${this.total()} cases in ${seconds} s ` +
            `(${cpuSeconds} s of CPU)`
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Paths in plain values
// ---------------------------------------------------------------------------------------------

function isRecord(v: unknown): v is Props {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `a.b[3].c` */
export function pathText(path: Path): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Every path to a value inside `v` (objects and arrays, not the root), parents before children. */
export function pathsOf(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
    if (Array.isArray(v)) {
        v.forEach((x, i) => {
            out.push([...prefix, i]);
            pathsOf(x, [...prefix, i], out);
        });
    } else if (isRecord(v)) {
        for (const k of Object.keys(v)) {
            if (v[k] === undefined) continue;
            out.push([...prefix, k]);
            pathsOf(v[k], [...prefix, k], out);
        }
    }
    return out;
}

/** The value at `path`, or undefined. */
export function getAt(root: unknown, path: Path): unknown {
    let v = root;
    for (const p of path) {
        if (Array.isArray(v) && typeof p === "number") v = v[p];
        else if (isRecord(v) && typeof p === "string") v = v[p];
        else return undefined;
    }
    return v;
}

/**
 * A copy of `root` with `value` at `path` (copying only along the path); `undefined` in an object
 * removes the key. Keys are defined, never assigned, so `__proto__` stays an ordinary key.
 */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
    if (path.length === 0) return value;
    const [head, ...rest] = path as [string | number, ...Path];
    if (Array.isArray(root)) {
        const copy = [...(root as unknown[])];
        copy[Number(head)] = setAt(copy[Number(head)], rest, value);
        return copy;
    }
    const copy: Props = {};
    for (const k of Object.keys(isRecord(root) ? root : {})) {
        Object.defineProperty(copy, k, {
            value: (root as Props)[k],
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    const key = String(head);
    const next = setAt(copy[key], rest, value);
    if (next === undefined && rest.length === 0) {
        delete copy[key];
    } else {
        Object.defineProperty(copy, key, {
            value: next,
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return copy;
}

/** Replaces the values at some of `v`'s paths (picked by `picks`) with `values` in turn. */
export function replaceSome(
    v: Props,
    picks: number[],
    values: unknown[],
): { news: Props; at: Path[] } {
    const all = pathsOf(v);
    let news: unknown = v;
    const at: Path[] = [];
    if (all.length === 0) return { news: v, at };
    picks.forEach((n, i) => {
        const path = all[n % all.length] as Path;
        // Skip a path whose parent was replaced already.
        const parent = getAt(news, path.slice(0, -1));
        if (path.length > 1 && typeof parent !== "object") return;
        if (parent === null) return;
        news = setAt(news, path, values[i % values.length]);
        at.push(path);
    });
    return { news: news as Props, at };
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** Keys that mean something to JavaScript objects. */
export const PROTOTYPE_KEYS = [
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "toJSON",
    "__defineGetter__",
] as const;

/** Object keys: the known ones, prototype keys and anything. */
export function keyArb(known: readonly string[]): fc.Arbitrary<string> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...known) },
        { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
        { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    );
}

const specialValues: unknown[] = [
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    -1,
    0.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    2 ** 53,
    undefined,
    null,
    true,
    false,
    "",
    " ",
    "\u0000",
    "\ud800",
    "NaN",
    "100",
    "true",
    UNKNOWN,
    `${UNKNOWN} `,
    [],
    {},
    [null],
    [UNKNOWN],
    [[[]]],
    { toString: 1, valueOf: "x", toJSON: null },
    JSON.parse('{"__proto__": {"polluted": 1}}') as unknown,
    Object.create(null) as unknown,
    new Date(0),
];

/** A huge string (10k to 100k characters). */
export const hugeString = fc
    .tuple(
        fc.integer({ min: 10_000, max: 100_000 }),
        fc.constantFrom("x", "é", ":", "-", "9", "\ud83d\ude00"),
    )
    .map(([n, c]) => c.repeat(n));

/**
 * Junk of every kind a JSON-like input can hold, and a little more: wrong types, NaN, Infinity,
 * huge strings, unicode, nested junk, prototype keys, the unknown sentinel.
 */
export const junkValue: fc.Arbitrary<unknown> = fc.letrec<{ junk: unknown }>((tie) => ({
    junk: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        { weight: 4, arbitrary: fc.constantFrom(...specialValues) },
        { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
        { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: "binary" }) },
        { weight: 2, arbitrary: fc.double() },
        { weight: 2, arbitrary: fc.integer() },
        { weight: 1, arbitrary: hugeString },
        { weight: 1, arbitrary: fc.array(tie("junk"), { maxLength: 4 }) },
        {
            weight: 1,
            arbitrary: fc.dictionary(keyArb(["a", "b"]), tie("junk"), { maxKeys: 4 }),
        },
    ),
})).junk;

/** Optional: the value, or not given (absent is handled by `fc.record`'s requiredKeys), or null. */
export function opt<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
    return fc.oneof(
        { weight: 8, arbitrary: arb },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constant(undefined) },
    );
}

/** A string of 1 to `max` UTF-16 code units (any unicode), with the boundary lengths likely. */
export function boundedString(max: number, min = 1): fc.Arbitrary<string> {
    return fc
        .oneof(
            { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 24) }) },
            {
                weight: 2,
                arbitrary: fc.string({ minLength: min, maxLength: max, unit: "binary" }),
            },
            { weight: 1, arbitrary: fc.constant("a".repeat(max)) },
            { weight: 1, arbitrary: fc.constant("\u00e9".repeat(Math.max(min, 1))) },
        )
        .map((s) => s.slice(0, max))
        .filter((s) => s.length >= min && s !== UNKNOWN);
}

/** An integer within [lo, hi], with the bounds likely. */
export function intIn(lo: number, hi: number): fc.Arbitrary<number> {
    return fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: lo, max: hi }) },
        { weight: 1, arbitrary: fc.constantFrom(lo, hi) },
    );
}

/** A strictly ascending list of integers within [1, 100] ending with 100. */
export const checkpointList: fc.Arbitrary<number[]> = fc
    .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 99 })
    .map((xs) => [...xs.sort((a, b) => a - b), 100]);

/** A strictly ascending list of integers within [1, 100]: AWS's, whose last may be below 100. */
export const awsCheckpointList: fc.Arbitrary<number[]> = fc
    .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 100 })
    .map((xs) => xs.sort((a, b) => a - b));

/** Values that are not an integer within [lo, hi] (and not null/undefined/the sentinel). */
export function badInteger(lo: number, hi: number): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: lo - 1_000_000_000, max: lo - 1 }) },
        { weight: 3, arbitrary: fc.integer({ min: hi + 1, max: hi + 1_000_000_000 }) },
        { weight: 2, arbitrary: fc.constantFrom(lo - 1, hi + 1) },
        {
            weight: 2,
            arbitrary: fc
                .tuple(fc.integer({ min: lo, max: hi }), fc.double({ min: 0.001, max: 0.999 }))
                .map(([i, f]) => (i + f > hi ? i - f : i + f)),
        },
        {
            weight: 1,
            arbitrary: fc.constantFrom(
                NaN,
                Infinity,
                -Infinity,
                String(lo),
                String(hi),
                true,
                false,
                [lo],
                { value: lo },
                "",
            ),
        },
        { weight: 1, arbitrary: hugeString },
    );
}

/** Values that are not a boolean. */
export const badBoolean: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom("true", "false", 0, 1, "", [], {}, NaN, [true], "yes"),
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.integer(),
);

/** Values that are not a string. */
export const notAString: fc.Arbitrary<unknown> = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constantFrom([], {}, ["a"], { a: "b" }, NaN, Infinity),
);

/** Strings (and non-strings) not among `allowed`. */
export function badEnum(allowed: readonly string[]): fc.Arbitrary<unknown> {
    return fc
        .oneof(
            { weight: 2, arbitrary: fc.constantFrom(...allowed.map((a) => a.toUpperCase())) },
            { weight: 2, arbitrary: fc.constantFrom(...allowed.map((a) => ` ${a}`)) },
            { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
            { weight: 1, arbitrary: notAString },
        )
        .filter((v) => !(typeof v === "string" && allowed.includes(v)) && v !== UNKNOWN);
}

/** Not a list. */
export const notAList: fc.Arbitrary<unknown> = fc.oneof(
    fc.string({ maxLength: 10 }).filter((s) => s !== UNKNOWN),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom({}, { 0: "a", length: 1 }, NaN),
);

/** Not an object. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
    fc.string({ maxLength: 10 }).filter((s) => s !== UNKNOWN),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom([], [{}], NaN, Infinity),
);

/** A key that is not among `known` and does not start with "__" (those are Pulumi's). */
export function unknownKey(known: readonly string[]): fc.Arbitrary<string> {
    return fc
        .oneof(
            fc.string({ minLength: 1, maxLength: 12 }),
            fc.constantFrom(...known.map((k) => k.toLowerCase() + "s"), "constructor", "toString"),
        )
        .filter((k) => !known.includes(k) && !k.startsWith("__"));
}

// ---------------------------------------------------------------------------------------------
// Regions and endpoints
// ---------------------------------------------------------------------------------------------

/** An Alibaba Cloud region id: /^[a-z]{2,}(-[a-z0-9]+)+$/. */
export const alicloudRegion: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom("cn-hangzhou", "cn-shanghai", "ap-southeast-1", "eu-central-1", "us-west-1"),
    fc.stringMatching(/^[a-z]{2,6}(-[a-z0-9]{1,8}){1,3}$/),
);

export const badAlicloudRegion: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(
        "CN-HANGZHOU",
        "cn_hangzhou",
        "cnhangzhou",
        "c-1",
        "cn-",
        "-cn-hangzhou",
        "cn-hangzhou ",
        "cn--hangzhou",
        "",
    ),
    fc.string({ maxLength: 12 }).filter((s) => !/^[a-z]{2,}(-[a-z0-9]+)+$/.test(s)),
    notAString,
);

// No "xn--" (or any "??--") label: the URL parser decodes those as punycode and may refuse them.
const hostLabel = fc
    .stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/)
    .filter((l) => l.slice(2, 4) !== "--");
// The last label is alphabetic: a numeric one makes the WHATWG URL parser read an IPv4 address.
const publicHost = fc
    .tuple(fc.array(hostLabel, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
    .map(([ls, tld]) => [...ls, tld].join("."))
    .filter((h) => h !== "localhost" && !/^127\./.test(h));
const loopbackHost = fc.oneof(
    fc.constantFrom("127.0.0.1", "localhost", "[::1]", "LOCALHOST"),
    fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
);
const port = fc.integer({ min: 1, max: 65535 });

/** `host`, `host:port`, `https://host[:port]`, or `http://` to a loopback host. */
export const alicloudEndpoint: fc.Arbitrary<string> = fc
    .oneof(
        fc.tuple(fc.constantFrom("", "https://"), publicHost, fc.option(port)),
        fc.tuple(fc.constantFrom("http://", "https://", ""), loopbackHost, fc.option(port)),
    )
    .chain(([scheme, host, p]) =>
        fc
            .constantFrom("", "/")
            .map((slash) => `${scheme}${host}${p === null ? "" : `:${p}`}${slash}`),
    );

export const badAlicloudEndpoint: fc.Arbitrary<unknown> = fc.oneof(
    publicHost.map((h) => `http://${h}`),
    fc.tuple(publicHost, fc.integer({ min: 65536, max: 99999 })).map(([h, p]) => `${h}:${p}`),
    publicHost.map((h) => `${h}:0`),
    publicHost.map((h) => `https://${h}/path/x`),
    publicHost.map((h) => `ftp://${h}`),
    fc.constantFrom("a b", "https://", "::::", "host:123456", ""),
    notAString,
);

/** An AWS region: /^[a-z]{2}(-[a-z]+)+-\d+$/. */
export const awsRegion: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom("us-east-1", "eu-west-3", "us-gov-west-1", "ap-southeast-2"),
    fc.stringMatching(/^[a-z]{2}(-[a-z]{1,9}){1,2}-[0-9]{1,2}$/),
);

export const badAwsRegion: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom("us-east", "US-EAST-1", "useast1", "us-east-1a", "u-east-1", "us-east-1 ", ""),
    fc.string({ maxLength: 12 }).filter((s) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(s)),
    notAString,
);

/** `https://host[:port][/path]` or `http://` to a loopback host. */
export const awsEndpoint: fc.Arbitrary<string> = fc
    .tuple(
        fc.oneof(
            publicHost.map((h) => `https://${h}`),
            loopbackHost.map((h) => `http://${h}`),
            loopbackHost.map((h) => `https://${h}`),
        ),
        fc.option(port),
        fc.constantFrom("", "/", "/prefix"),
    )
    .map(([base, p, path]) => `${base}${p === null ? "" : `:${p}`}${path}`);

export const badAwsEndpoint: fc.Arbitrary<unknown> = fc.oneof(
    publicHost.map((h) => `http://${h}`),
    publicHost,
    publicHost.map((h) => `ftp://${h}`),
    fc.constantFrom("not a url", "https://", "file:///etc/passwd", ""),
    notAString,
);

// ---------------------------------------------------------------------------------------------
// The property harness for a resource's check
// ---------------------------------------------------------------------------------------------

/** One invalid value: the news with it, and the property path the failure must name. */
export interface Mutation {
    /** What was changed, for the counts and failure messages. */
    kind: string;
    news: Props;
    /** The property path the failure must name, e.g. `preferences.minHealthyPercentage`. */
    path: string;
    /** For an integer range: the failure names it. */
    range?: readonly [number, number];
    /** The value given there (for the reason's `got ...`), when it is a finite number. */
    value?: unknown;
    /** Other properties a failure may name besides `path`'s ancestors and descendants. */
    also?: readonly string[];
    /**
     * Where to put the unknown sentinel to make this failure go away (default `path`); false when
     * the sentinel cannot (an unknown key stays unknown).
     */
    unknownAt?: Path | false;
}

/** What a provider under test called of the outside world. */
export interface Calls {
    clients: number;
    sleeps: number;
    logs: number;
}

/** A clock whose use is counted (check must not wait). */
export function countingClock(calls: Calls): Clock {
    return {
        now: () => 0,
        sleep: () => {
            calls.sleeps++;
            return Promise.reject(new Error("check must not sleep"));
        },
    };
}

export interface CheckSpec {
    /** e.g. `alicloud.InstanceRefresh` */
    label: string;
    /** A provider whose client factories count and throw. */
    provider(calls: Calls): {
        check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
    };
    /** Every top-level argument. */
    keys: readonly string[];
    /** Valid argument objects. */
    valid: fc.Arbitrary<Props>;
    /** One invalid value in a valid object. */
    mutate(v: Props): fc.Arbitrary<Mutation>;
    /** numRuns per property. */
    runs: { junk: number; valid: number; invalid: number; unknown: number };
}

interface Failure {
    property: string;
    reason: string;
}

function related(property: string, path: string): boolean {
    const under = (a: string, b: string): boolean =>
        a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
    return under(property, path) || under(path, property);
}

function describeFailures(failures: Failure[]): string {
    return JSON.stringify(failures.map((f) => `${f.property}: ${f.reason.slice(0, 200)}`));
}

/** Defines the issue-6 properties of one resource's check. */
export function checkProperties(spec: CheckSpec): void {
    const counter = new CaseCounter();
    const calls: Calls = { clients: 0, sleeps: 0, logs: 0 };
    const provider = spec.provider(calls);
    const sockets = { connects: 0, lookups: 0 };

    beforeAll(() => {
        counter.start();
        jest.spyOn(net.Socket.prototype, "connect").mockImplementation(function (this: net.Socket) {
            sockets.connects++;
            throw new Error("check must not open a connection");
        });
        jest.spyOn(dns, "lookup").mockImplementation(() => {
            sockets.lookups++;
            throw new Error("check must not resolve names");
        });
    });
    afterAll(() => {
        jest.restoreAllMocks();
        console.log(counter.report(spec.label));
        expect({ ...calls, ...sockets }).toEqual({
            clients: 0,
            sleeps: 0,
            logs: 0,
            connects: 0,
            lookups: 0,
        });
    });

    /** Runs check; asserts it resolved with a well-formed result and called nothing outside. */
    async function check(
        news: Props,
        name: string,
    ): Promise<{ failures: Failure[]; inputs: Props }> {
        counter.add(name);
        let result: pulumi.dynamic.CheckResult;
        try {
            // A synchronous throw counts as a rejection too.
            result = await Promise.resolve().then(() => provider.check({}, news));
        } catch (err) {
            throw new Error(
                `check threw ${(err as Error)?.name}: ${(err as Error)?.message} for ${safeShow(news)}`,
                { cause: err },
            );
        }
        // Nothing outside was called: no client built, no wait, no log line, no socket, no DNS.
        if (calls.clients + calls.sleeps + calls.logs + sockets.connects + sockets.lookups > 0) {
            throw new Error(
                `check called outside: ${JSON.stringify({ ...calls, ...sockets })} for ${safeShow(news)}`,
            );
        }
        if (typeof result.inputs !== "object" || result.inputs === null) {
            throw new Error(`check returned no inputs for ${safeShow(news)}`);
        }
        const failures = (result.failures ?? []) as Failure[];
        if (!Array.isArray(failures)) throw new Error("check returned failures that are no list");
        for (const f of failures) {
            // Every reason is a string that names its property first.
            if (
                typeof f.property !== "string" ||
                typeof f.reason !== "string" ||
                !f.reason.startsWith(`${f.property} `)
            ) {
                throw new Error(`reason does not start with its property: ${JSON.stringify(f)}`);
            }
        }
        return { failures, inputs: result.inputs as Props };
    }

    const junkObject = fc.dictionary(keyArb(spec.keys), junkValue, { maxKeys: 8 });
    // fc.object: nested values of every kind but BigInt (which Pulumi never sends, see the report).
    const anyObject = fc.object({
        key: keyArb(spec.keys),
        maxDepth: 2,
        maxKeys: 6,
        withNullPrototype: true,
        withBoxedValues: true,
        withDate: true,
        withSparseArray: true,
        withTypedArray: true,
        withMap: true,
        withSet: true,
        withObjectString: true,
    });
    const validWithJunk = fc
        .tuple(
            spec.valid,
            fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
            fc.array(junkValue, { minLength: 1, maxLength: 4 }),
        )
        .map(([v, picks, values]) => replaceSome(v, picks, values).news);

    describe(`${spec.label} check (property-based)`, () => {
        test("never throws and never calls a cloud, whatever the arguments", async () => {
            await fc.assert(
                fc.asyncProperty(
                    fc.oneof(
                        junkObject,
                        anyObject,
                        validWithJunk,
                        fc.constant({}),
                        fc.constant(Object.create(null) as Props),
                    ),
                    async (news) => {
                        await check(news, "junk (no throw, no call)");
                    },
                ),
                { numRuns: spec.runs.junk },
            );
        });

        test("every valid argument object passes", async () => {
            await fc.assert(
                fc.asyncProperty(spec.valid, async (news) => {
                    const { failures } = await check(news, "valid (no failure)");
                    if (failures.length > 0) {
                        throw new Error(`valid object failed: ${describeFailures(failures)}`);
                    }
                }),
                { numRuns: spec.runs.valid },
            );
        });

        test("one invalid value is reported at its property path", async () => {
            await fc.assert(
                fc.asyncProperty(spec.valid.chain(spec.mutate), async (m) => {
                    const { failures } = await check(
                        m.news,
                        "one invalid value (reported at its path)",
                    );
                    const at = failures.filter((f) => f.property === m.path);
                    if (at.length === 0) {
                        throw new Error(
                            `${m.kind}: no failure at ${m.path}; got ${describeFailures(failures)}`,
                        );
                    }
                    if (m.range) {
                        const [lo, hi] = m.range;
                        const head = `${m.path} must be an integer from ${lo} to ${hi}; got `;
                        const f = at.find((x) => x.reason.startsWith(head));
                        if (!f) {
                            throw new Error(`${m.kind}: no range in ${describeFailures(at)}`);
                        }
                        if (typeof m.value === "number" && Number.isFinite(m.value)) {
                            expect(f.reason).toBe(head + JSON.stringify(m.value));
                        }
                    }
                    const stray = failures.filter(
                        (f) => !related(f.property, m.path) && !(m.also ?? []).includes(f.property),
                    );
                    if (stray.length > 0) {
                        throw new Error(
                            `${m.kind} at ${m.path} also failed elsewhere: ${describeFailures(stray)}`,
                        );
                    }
                }),
                { numRuns: spec.runs.invalid },
            );
        });

        test("the unknown sentinel in place of any value of a valid object: no failure, kept in inputs", async () => {
            await fc.assert(
                fc.asyncProperty(
                    spec.valid,
                    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
                    async (v, picks) => {
                        // In place of any value, null ("not given") included: an unknown may
                        // resolve to anything, nothing too.
                        const { news, at } = replaceSome(v, picks, [UNKNOWN]);
                        const { failures, inputs } = await check(
                            news,
                            "unknown in a valid object (no failure)",
                        );
                        if (failures.length > 0) {
                            throw new Error(
                                `unknown at ${at.map(pathText).join(", ")}: ${describeFailures(failures)}`,
                            );
                        }
                        // A top-level unknown reaches the provider's inputs as it came (not a default).
                        for (const p of at) {
                            const key = String(p[0]);
                            if (p.length === 1 && spec.keys.includes(key)) {
                                expect(inputs[key]).toBe(UNKNOWN);
                            }
                        }
                    },
                ),
                { numRuns: spec.runs.unknown },
            );
        });

        test("the unknown sentinel in place of an invalid value: no failure at that property", async () => {
            await fc.assert(
                fc.asyncProperty(
                    spec.valid.chain(spec.mutate).filter((m) => m.unknownAt !== false),
                    async (m) => {
                        const where = m.unknownAt === undefined ? parsePath(m.path) : m.unknownAt;
                        if (where === false) return;
                        const news = setAt(m.news, where, UNKNOWN) as Props;
                        const { failures } = await check(
                            news,
                            "unknown in place of an invalid value",
                        );
                        const w = pathText(where);
                        const at = failures.filter(
                            (f) =>
                                f.property === w ||
                                f.property.startsWith(`${w}.`) ||
                                f.property.startsWith(`${w}[`),
                        );
                        if (at.length > 0) {
                            throw new Error(
                                `${m.kind}: unknown at ${pathText(where)} still fails: ${describeFailures(at)}`,
                            );
                        }
                    },
                ),
                { numRuns: spec.runs.unknown },
            );
        });
    });
}

/** `a.b[3].c` to `["a", "b", 3, "c"]`. */
export function parsePath(text: string): Path {
    const out: Path = [];
    for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
        if (m[2] !== undefined) out.push(Number(m[2]));
        else if (m[1] !== undefined) out.push(m[1]);
    }
    return out;
}

function safeShow(v: unknown): string {
    try {
        const s = JSON.stringify(v, (_k, x: unknown) =>
            typeof x === "number" && !Number.isFinite(x) ? String(x) : x,
        );
        return s.length > 600 ? `${s.slice(0, 600)}...` : s;
    } catch {
        return String(v);
    }
}
