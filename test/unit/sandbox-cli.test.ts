/** pulumi-rollout-sandbox's arguments and its --help. */
import { FLAGS, HELP, parseArgs } from "../../src/sandbox/cli";

describe("pulumi-rollout-sandbox", () => {
    test("--help describes every flag it takes", () => {
        for (const flag of FLAGS) {
            expect(HELP).toMatch(new RegExp(`^\\s+(-h, )?${flag} `, "m"));
        }
        expect(HELP).toMatch(/-h, --help/);
        expect(HELP).toContain("until Ctrl-C");
    });

    test("the defaults --help states are the ones it uses", () => {
        const opts = parseArgs(["--asg-groups", "web:4", "--ecs-instances", "i-web-1"]);
        expect(opts).toMatchObject({ port: 0, batchSeconds: 5 });
        expect(HELP).toContain("(default 0: any free port)");
        expect(HELP).toContain("(default asg-sandbox-web:6)");
        expect(HELP).toContain("(default cn-hangzhou)");
        expect(HELP).toContain("(default 5)");
        expect(HELP).toContain("(default us-east-1)");
        expect(HELP).toContain("(default 2)");
        expect(HELP).toContain("(default SystemMaintenance.Reboot");
        expect(JSON.stringify(opts)).toContain("asg-sandbox-web");
        expect(JSON.stringify(opts)).toContain("cn-hangzhou");
        expect(JSON.stringify(opts)).toContain("us-east-1");
        expect(JSON.stringify(opts)).toContain("SystemMaintenance.Reboot");
    });

    test("--busy-code sets the code of a start refused on a busy group; a malformed one is refused", () => {
        expect(parseArgs(["--busy-code", "OperationDenied"]).busyCode).toBe("OperationDenied");
        expect(parseArgs([]).busyCode).toBeUndefined();
        expect(() => parseArgs(["--busy-code", "not a code"])).toThrow(/--busy-code expects/);
        expect(parseArgs(["--nothing-to-refresh-code", "accept"]).nothingToRefreshCode).toBe(
            "accept",
        );
        expect(
            parseArgs(["--nothing-to-refresh-code", "SandboxUnknown.Nothing"]).nothingToRefreshCode,
        ).toBe("SandboxUnknown.Nothing");
        expect(() => parseArgs(["--nothing-to-refresh-code", "no such"])).toThrow(
            /--nothing-to-refresh-code expects/,
        );
        expect(parseArgs(["--unsupported-code", "Forbidden.Unsupported"]).unsupportedCode).toBe(
            "Forbidden.Unsupported",
        );
        const ecs = ["--ecs-instances", "i-1"];
        expect(
            parseArgs([...ecs, "--ecs-refusal-message", "The operation is invalid."]).ecs
                ?.simulatedRefusalMessage,
        ).toBe("The operation is invalid.");
        expect(() => parseArgs(["--ecs-refusal-message", "x"])).toThrow(
            /--ecs-refusal-message needs --ecs-instances/,
        );
        const aws = ["--asg-groups", "web:2"];
        expect(parseArgs([...aws, "--asg-busy-code", "ResourceInUse"]).aws?.busyCode).toBe(
            "ResourceInUse",
        );
        expect(parseArgs(aws).aws?.busyCode).toBeUndefined();
        expect(() => parseArgs([...aws, "--asg-busy-code", "not a code"])).toThrow(
            /--asg-busy-code expects/,
        );
        expect(() => parseArgs(["--asg-busy-code", "ResourceInUse"])).toThrow(
            /--asg-busy-code needs --asg-groups/,
        );
    });

    test("--time-scale sets the world's pace from 1 to 1000; anything else is refused", () => {
        expect(parseArgs(["--time-scale", "120"]).timeScale).toBe(120);
        expect(parseArgs(["--time-scale=2.5"]).timeScale).toBe(2.5);
        expect(parseArgs([]).timeScale).toBeUndefined();
        for (const bad of ["0", "0.5", "1001", "fast", "-3", ""]) {
            expect(() => parseArgs(["--time-scale", bad])).toThrow(
                /--time-scale must be a number from 1 to 1000/,
            );
        }
    });
});
