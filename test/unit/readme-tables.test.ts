/**
 * README's argument tables against the validators: every argument a resource takes has a row and
 * every row names an argument; every integer range a row gives is exactly what the validator
 * accepts (both ends in, one past each end refused, naming the property); every plain default
 * (a number, true/false, a quoted string) is what the validator fills in; every list of quoted
 * choices is accepted and nothing else. A change to the code that forgets the README fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { validateInstanceRedeploy } from "../../src/resources/alicloudInstanceRedeploy/validate";
import { INPUT_KEYS as REDEPLOY_KEYS } from "../../src/resources/alicloudInstanceRedeploy/types";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";
import { REFRESH_KEYS, WAIT_KEYS } from "../../src/resources/alicloudInstanceRefresh/types";
import { validateAwsInstanceRefresh } from "../../src/resources/awsInstanceRefresh/validate";
import { AWS_REFRESH_KEYS, AWS_WAIT_KEYS } from "../../src/resources/awsInstanceRefresh/types";
import { validateHeartbeatPolicy } from "../../src/resources/heartbeatPolicy/validate";
import { POLICY_INPUT_KEYS } from "../../src/resources/heartbeatPolicy/types";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

type Validate = (news: Record<string, unknown>) => {
    inputs: unknown;
    violations: { property: string }[];
};

/** The text of README's `## <heading>` section, up to the next `## `. */
function section(heading: string): string {
    const start = README.indexOf(`\n## ${heading}\n`);
    if (start < 0) {
        throw new Error(`README has no section "## ${heading}"`);
    }
    const end = README.indexOf("\n## ", start + 1);
    return README.slice(start, end < 0 ? undefined : end);
}

/** The rows (cells, trimmed) of the first table after `### Arguments` in a section. */
function argumentRows(text: string): string[][] {
    const at = text.indexOf("\n### Arguments\n");
    const lines = text.slice(at).split("\n");
    const first = lines.findIndex((l) => l.startsWith("|"));
    const rows: string[][] = [];
    for (const line of lines.slice(first + 2)) {
        if (!line.startsWith("|")) {
            break;
        }
        rows.push(
            line
                .slice(1, -1)
                .split(/(?<!\\)\|/)
                .map((c) => c.trim()),
        );
    }
    return rows;
}

/** The names in backticks in a cell. */
const namesIn = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** `{a: {b: value}}` for the path "a.b", merged into `base`. */
function withPath(
    base: Record<string, unknown>,
    dotted: string,
    value: unknown,
): Record<string, unknown> {
    const [head, ...rest] = dotted.split(".");
    const inner = (base[head!] ?? {}) as Record<string, unknown>;
    return {
        ...base,
        [head!]: rest.length === 0 ? value : withPath(inner, rest.join("."), value),
    };
}

function valueAt(obj: unknown, dotted: string): unknown {
    return dotted
        .split(".")
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/** What a row's cells say about one argument, where they say it plainly. */
interface Claim {
    name: string;
    /** An integer range "a–b". */
    range?: [number, number];
    /** A number, a boolean or a quoted string. */
    default?: unknown;
    /** Quoted choices, e.g. `"wait"`, `"cancel"`. */
    choices?: string[];
}

function parseDefault(cell: string): unknown {
    const c = cell.replace(/`/g, "").trim();
    if (/^\d+$/.test(c)) return Number(c);
    if (c === "true" || c === "false") return c === "true";
    const q = /^"([^"]*)"$/.exec(c);
    return q ? q[1] : undefined;
}

function parseRange(cell: string): [number, number] | undefined {
    const m = /^(\d+)–(\d+)(?:$|[,;:( ])/.exec(cell.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function parseChoices(cell: string): string[] | undefined {
    const items = cell.split(",").map((s) => s.trim());
    const quoted = items.map((s) => /^`"([^"]+)"`$/.exec(s)?.[1]);
    return items.length > 1 && quoted.every((q) => q !== undefined) ? quoted : undefined;
}

/**
 * Checks every claim against the validator, from a minimal valid input, plus for an argument that
 * depends on another (as its row says, e.g. "needs `minHealthyPercentage`") the other's value in
 * `context`.
 */
function checkClaims(
    what: string,
    validate: Validate,
    minimal: Record<string, unknown>,
    claims: Claim[],
    context: Record<string, Record<string, unknown>> = {},
) {
    const refused = (news: Record<string, unknown>, name: string): boolean =>
        validate(news).violations.some(
            (v) =>
                v.property === name ||
                v.property.startsWith(`${name}.`) ||
                v.property.startsWith(`${name}[`),
        );
    const problems: string[] = [];
    expect(validate(minimal).violations).toEqual([]);
    for (const c of claims) {
        const base = Object.entries(context[c.name] ?? {}).reduce(
            (acc, [k, v]) => withPath(acc, k, v),
            minimal,
        );
        if (c.range) {
            const [lo, hi] = c.range;
            for (const [v, bad] of [
                [lo, false],
                [hi, false],
                [lo - 1, true],
                [hi + 1, true],
            ] as const) {
                if (refused(withPath(base, c.name, v), c.name) !== bad) {
                    problems.push(
                        `${what} ${c.name}: README says ${lo}–${hi}, but ${v} is ${bad ? "accepted" : "refused"}`,
                    );
                }
            }
        }
        if (c.default !== undefined) {
            const filled = valueAt(validate(minimal).inputs, c.name);
            if (filled !== c.default) {
                problems.push(
                    `${what} ${c.name}: README's default is ${JSON.stringify(c.default)}, the code fills in ${JSON.stringify(filled)}`,
                );
            }
        }
        if (c.choices) {
            for (const choice of c.choices) {
                if (refused(withPath(base, c.name, choice), c.name)) {
                    problems.push(
                        `${what} ${c.name}: README allows "${choice}", the code refuses it`,
                    );
                }
            }
            if (!refused(withPath(base, c.name, "not-a-choice"), c.name)) {
                problems.push(`${what} ${c.name}: the code accepts a value README does not list`);
            }
        }
    }
    return problems;
}

/** The claims of a five-column table (argument | type | default | allowed | meaning). */
function claimsOf(rows: string[][]): { names: string[]; claims: Claim[] } {
    const names: string[] = [];
    const claims: Claim[] = [];
    for (const [argCell, type, def, allowed] of rows) {
        const rowNames = namesIn(argCell!);
        names.push(...rowNames);
        if (rowNames.length !== 1) {
            continue; // a row of several arguments refers to another table
        }
        const name = rowNames[0]!;
        claims.push({
            name,
            range: type === "integer" ? parseRange(allowed!) : undefined,
            default: parseDefault(def!),
            choices: parseChoices(allowed!),
        });
    }
    return { names, claims };
}

describe("README's argument tables say what the validators do", () => {
    test("alicloud.InstanceRefresh", () => {
        const { names, claims } = claimsOf(argumentRows(section("`alicloud.InstanceRefresh`")));
        expect(new Set(names.filter((n) => !n.includes(".")))).toEqual(
            new Set([...REFRESH_KEYS, ...WAIT_KEYS]),
        );
        expect(claims.filter((c) => c.range).length).toBeGreaterThanOrEqual(4);
        const minimal = { scalingGroupId: "asg-1", desiredConfiguration: { imageId: "m-1" } };
        expect(
            checkClaims("alicloud.InstanceRefresh", validateInstanceRefresh, minimal, claims),
        ).toEqual([]);
    });

    test("aws.InstanceRefresh", () => {
        const rows = argumentRows(section("`aws.InstanceRefresh`"));
        const { names, claims } = claimsOf(rows);
        expect(new Set(names.filter((n) => !n.includes(".")))).toEqual(
            new Set([...AWS_REFRESH_KEYS, ...AWS_WAIT_KEYS]),
        );
        expect(claims.filter((c) => c.range).length).toBeGreaterThanOrEqual(4);
        const minimal = { autoScalingGroupName: "web" };
        expect(
            checkClaims("aws.InstanceRefresh", validateAwsInstanceRefresh, minimal, claims, {
                // "needs minHealthyPercentage", "at most minHealthyPercentage + 100"
                "preferences.maxHealthyPercentage": { "preferences.minHealthyPercentage": 100 },
                // "needs checkpointPercentages"
                "preferences.checkpointDelaySeconds": {
                    "preferences.checkpointPercentages": [50, 100],
                },
            }),
        ).toEqual([]);
    });

    test("alicloud.InstanceRedeploy", () => {
        const { names, claims } = claimsOf(argumentRows(section("`alicloud.InstanceRedeploy`")));
        expect(new Set(names)).toEqual(new Set(REDEPLOY_KEYS));
        expect(claims.filter((c) => c.range).length).toBeGreaterThanOrEqual(2);
        const minimal = { instanceIds: ["i-bp1abc"] };
        expect(
            checkClaims("alicloud.InstanceRedeploy", validateInstanceRedeploy, minimal, claims),
        ).toEqual([]);
    });

    test("the lifecycle heartbeat policies (one table, a column per cloud)", () => {
        const rows = argumentRows(section("Lifecycle heartbeats"));
        const problems: string[] = [];
        const names = { alicloud: new Set<string>(), aws: new Set<string>() };
        const minimal = {
            alicloud: { scalingGroupId: "asg-1", lifecycleHookId: "ash-1" },
            aws: { autoScalingGroupName: "web", lifecycleHookName: "bootstrap" },
        };
        for (const [argCell, essCell, awsCell] of rows) {
            for (const [cloud, cell] of [
                ["alicloud", essCell!],
                ["aws", awsCell!],
            ] as const) {
                // "group" / "hook" rows name the argument in the cloud's column.
                const rowNames =
                    namesIn(argCell!).length > 0 ? namesIn(argCell!) : namesIn(cell).slice(0, 1);
                const own =
                    cell.startsWith("`") && namesIn(argCell!).length > 0
                        ? namesIn(cell).filter((n) => !n.includes("."))
                        : [];
                for (const n of [...rowNames, ...own]) {
                    names[cloud].add(n);
                }
                if (rowNames.length !== 1) {
                    continue;
                }
                const validate: Validate = (news) => validateHeartbeatPolicy(cloud, news);
                const def = /default (\d+|true|false)\b/.exec(cell)?.[1];
                problems.push(
                    ...checkClaims(
                        `${cloud}.LifecycleHeartbeatPolicy`,
                        validate,
                        minimal[cloud],
                        [
                            {
                                name: rowNames[0]!,
                                range: parseRange(cell),
                                default: def === undefined ? undefined : parseDefault(def),
                            },
                        ],
                        {
                            // The heartbeats must be able to reach it (README's example under the table:
                            // 20 heartbeats of 1200 s cover 6 hours), and on AWS the hook's global
                            // timeout, 100 heartbeat timeouts, must allow it.
                            maxPendingMinutes: {
                                heartbeatTimeoutSeconds: cloud === "alicloud" ? 1200 : 7200,
                            },
                        },
                    ),
                );
            }
        }
        expect(names.alicloud).toEqual(new Set(POLICY_INPUT_KEYS.alicloud));
        expect(names.aws).toEqual(new Set(POLICY_INPUT_KEYS.aws));
        expect(problems).toEqual([]);
    });
});

describe("the README check itself", () => {
    test("a wrong default or range in a row is caught", () => {
        const claims: Claim[] = [
            { name: "minHealthyPercentage", range: [0, 99] },
            { name: "timeoutMinutes", default: 61 },
            { name: "onConflict", choices: ["wait", "cancel"] },
        ];
        const minimal = { scalingGroupId: "asg-1", desiredConfiguration: { imageId: "m-1" } };
        const problems = checkClaims(
            "alicloud.InstanceRefresh",
            validateInstanceRefresh,
            minimal,
            claims,
        );
        expect(problems).toEqual([
            "alicloud.InstanceRefresh minHealthyPercentage: README says 0–99, but 100 is accepted",
            "alicloud.InstanceRefresh timeoutMinutes: README's default is 61, the code fills in 60",
        ]);
    });
});
