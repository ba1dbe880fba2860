import { UNKNOWN } from "../../src/core/validation";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";

const valid = { scalingGroupId: "asg-1", desiredConfiguration: { imageId: "m-1" } };
const problems = (news: Record<string, unknown>): string[] =>
    validateInstanceRefresh(news).violations.map((v) => v.reason);
const paths = (news: Record<string, unknown>): string[] =>
    validateInstanceRefresh(news).violations.map((v) => v.property);

describe("alicloud.InstanceRefresh validation", () => {
    test("a minimal refresh is valid and gets the documented defaults", () => {
        const { inputs, violations } = validateInstanceRefresh({ ...valid, __provider: "x" });
        expect(violations).toEqual([]);
        expect(inputs).toMatchObject({
            minHealthyPercentage: 80,
            maxHealthyPercentage: 120,
            skipMatching: true,
            checkpointPauseMinutes: 60,
            timeoutMinutes: 60,
            onFailure: "fail",
            onTimeout: "cancel",
            onConflict: "wait",
            __provider: "x",
        });
    });

    test.each([
        ["minHealthyPercentage", 0, true],
        ["minHealthyPercentage", 100, true],
        ["minHealthyPercentage", -1, false],
        ["minHealthyPercentage", 101, false],
        ["minHealthyPercentage", 50.5, false],
        ["maxHealthyPercentage", 100, true],
        ["maxHealthyPercentage", 200, true],
        ["maxHealthyPercentage", 99, false],
        ["maxHealthyPercentage", 201, false],
        ["checkpointPauseMinutes", 1, true],
        ["checkpointPauseMinutes", 2880, true],
        ["checkpointPauseMinutes", 0, false],
        ["checkpointPauseMinutes", 2881, false],
        ["timeoutMinutes", 1, true],
        ["timeoutMinutes", 10080, true],
        ["timeoutMinutes", 0, false],
        ["timeoutMinutes", 10081, false],
    ])("%s = %p valid: %p", (key, value, ok) => {
        const reasons = problems({ ...valid, [key]: value });
        if (ok) {
            expect(reasons).toEqual([]);
        } else {
            expect(reasons).toHaveLength(1);
            expect(reasons[0]).toMatch(
                new RegExp(`^${key} must be an integer from \\d+ to \\d+; got ${value}$`),
            );
        }
    });

    test("the healthy percentages name their ranges", () => {
        expect(problems({ ...valid, minHealthyPercentage: 101 })).toEqual([
            "minHealthyPercentage must be an integer from 0 to 100; got 101",
        ]);
        expect(problems({ ...valid, maxHealthyPercentage: 99 })).toEqual([
            "maxHealthyPercentage must be an integer from 100 to 200; got 99",
        ]);
    });

    test.each([
        [[100], []],
        [[1, 100], []],
        [[20, 50, 100], []],
        [[0, 100], ["checkpoints[0]"]],
        [
            [50, 101],
            ["checkpoints[1]", "checkpoints"],
        ],
        [[50, 50, 100], ["checkpoints[1]"]],
        [[60, 40, 100], ["checkpoints[1]"]],
        [[50], ["checkpoints"]],
        [[], ["checkpoints"]],
    ])("checkpoints %p -> violations at %p", (checkpoints, expected) => {
        expect(paths({ ...valid, checkpoints })).toEqual(expected);
    });

    test("the sources of a desired configuration the StartInstanceRefresh reference allows", () => {
        // Every DesiredConfiguration.* is optional: left out, ESS replaces the instances not on
        // the group's active configuration.
        expect(problems({ scalingGroupId: "asg-1" })).toEqual([]);
        expect(problems({ ...valid, desiredConfiguration: {} })[0]).toContain("got none");
        // The reference's own request example sends ImageId with ScalingConfigurationId.
        expect(
            problems({
                ...valid,
                desiredConfiguration: { imageId: "m-1", scalingConfigurationId: "asc-1" },
            }),
        ).toEqual([]);
        expect(
            problems({
                ...valid,
                desiredConfiguration: { imageId: "m-1", launchTemplateId: "lt-1" },
            })[0],
        ).toContain("got imageId and launchTemplateId");
        expect(
            problems({
                ...valid,
                desiredConfiguration: {
                    scalingConfigurationId: "asc-1",
                    containers: [{ name: "web", image: "nginx" }],
                },
            })[0],
        ).toContain("got scalingConfigurationId and containers");
        expect(
            problems({ ...valid, desiredConfiguration: { scalingConfigurationId: "asc-1" } }),
        ).toEqual([]);
        expect(
            problems({
                ...valid,
                desiredConfiguration: { containers: [{ name: "web", image: "nginx" }] },
            }),
        ).toEqual([]);
    });

    test("launch template version and overrides", () => {
        const lt = (extra: object): string[] =>
            paths({ ...valid, desiredConfiguration: { launchTemplateId: "lt-1", ...extra } });
        expect(lt({ launchTemplateVersion: "8" })).toEqual([]);
        expect(lt({ launchTemplateVersion: "Default" })).toEqual([]);
        expect(lt({ launchTemplateVersion: "Latest" })).toEqual([]);
        expect(lt({ launchTemplateVersion: "latest" })).toEqual([
            "desiredConfiguration.launchTemplateVersion",
        ]);
        expect(lt({ launchTemplateOverrides: [{ instanceType: "ecs.g7.2xlarge" }] })).toEqual([]);
        // Seed 003 gives neither a form for the instance type nor a number of overrides, so
        // neither is refused here; an empty one is.
        expect(lt({ launchTemplateOverrides: [{ instanceType: "g7" }] })).toEqual([]);
        const eleven = Array.from({ length: 11 }, (_, i) => ({
            instanceType: `ecs.g7.${i}xlarge`,
        }));
        expect(lt({ launchTemplateOverrides: eleven })).toEqual([]);
        expect(lt({ launchTemplateOverrides: [{ instanceType: "" }] })).toEqual([
            "desiredConfiguration.launchTemplateOverrides[0].instanceType",
        ]);
        // Nor lengths for the ids.
        expect(
            paths({
                ...valid,
                desiredConfiguration: {
                    imageId: `m-${"x".repeat(200)}`,
                    scalingConfigurationId: `asc-${"y".repeat(100)}`,
                },
            }),
        ).toEqual([]);
        expect(
            paths({
                ...valid,
                desiredConfiguration: { imageId: "m-1", launchTemplateVersion: "1" },
            }),
        ).toEqual(["desiredConfiguration.launchTemplateVersion"]);
    });

    test("rollback is refused up front when the version is Default or Latest", () => {
        const news = {
            ...valid,
            desiredConfiguration: { launchTemplateId: "lt-1", launchTemplateVersion: "Latest" },
        };
        expect(paths({ ...news, onFailure: "rollback", onTimeout: "rollback" })).toEqual([
            "onFailure",
            "onTimeout",
        ]);
        expect(problems({ ...news, onFailure: "rollback" })[0]).toContain(
            "ESS cannot roll back such a refresh",
        );
        expect(paths({ ...news, onFailure: "fail" })).toEqual([]);
    });

    test("container limits from the reference", () => {
        const c = (container: object): string[] =>
            paths({ ...valid, desiredConfiguration: { containers: [container] } });
        expect(c({ image: "nginx", commands: ["x".repeat(256)] })).toEqual([]);
        expect(c({ image: "nginx", commands: ["x".repeat(257)] })).toEqual([
            "desiredConfiguration.containers[0].commands[0]",
        ]);
        expect(
            c({ image: "nginx", environmentVars: [{ key: "PATH", value: "/usr/bin" }] }),
        ).toEqual([]);
        expect(c({ image: "nginx", environmentVars: [{ key: "1PATH" }] })).toEqual([
            "desiredConfiguration.containers[0].environmentVars[0].key",
        ]);
        expect(c({ image: "nginx", environmentVars: [{ key: "K".repeat(129) }] })).toEqual([
            "desiredConfiguration.containers[0].environmentVars[0].key",
        ]);
        expect(
            c({ image: "nginx", environmentVars: [{ key: "K", value: "v".repeat(257) }] }),
        ).toEqual(["desiredConfiguration.containers[0].environmentVars[0].value"]);
    });

    test("the waiting options take only their documented values", () => {
        expect(
            problems({ ...valid, onFailure: "retry", onTimeout: "wait", onConflict: "ignore" }),
        ).toEqual([
            'onFailure must be one of "rollback", "fail"; got "retry"',
            'onTimeout must be one of "cancel", "rollback", "leave"; got "wait"',
            'onConflict must be one of "wait", "cancel", "fail"; got "ignore"',
        ]);
    });

    test("every violation is reported at once, and misspelt arguments are named", () => {
        expect(
            paths({
                desiredConfiguration: { imageId: "m-1" },
                minHealthyPercentag: 80,
                maxHealthyPercentage: 300,
            }),
        ).toEqual(["minHealthyPercentag", "scalingGroupId", "maxHealthyPercentage"]);
    });

    test("endpoints: plain HTTP only to this machine", () => {
        expect(paths({ ...valid, endpoint: "http://127.0.0.1:8080" })).toEqual([]);
        expect(paths({ ...valid, endpoint: "ess.cn-hangzhou.aliyuncs.com" })).toEqual([]);
        expect(problems({ ...valid, endpoint: "http://ess.example.com" })[0]).toContain(
            "plain HTTP",
        );
    });

    test("an endpoint carrying user:password@ is refused without echoing the password", () => {
        for (const endpoint of [
            "https://LTAIexample:s3cr3t-pw@ess.aliyuncs.com",
            "LTAIexample:s3cr3t-pw@ess.aliyuncs.com",
        ]) {
            const found = problems({ ...valid, endpoint }).join("\n");
            expect(found).toContain("must not carry credentials");
            expect(found).not.toContain("s3cr3t-pw");
            expect(found).not.toContain("LTAIexample");
        }
    });

    test("values not known yet during preview are accepted", () => {
        expect(
            problems({
                scalingGroupId: UNKNOWN,
                desiredConfiguration: { scalingConfigurationId: UNKNOWN },
                minHealthyPercentage: UNKNOWN,
                checkpoints: [50, UNKNOWN],
                triggers: UNKNOWN,
            }),
        ).toEqual([]);
        expect(problems({ scalingGroupId: "asg-1", desiredConfiguration: UNKNOWN })).toEqual([]);
    });

    test("fieldRefFieldPath is refused: the reference says it is not available", () => {
        expect(
            problems({
                ...valid,
                desiredConfiguration: {
                    containers: [
                        { name: "web", environmentVars: [{ key: "POD", fieldRefFieldPath: "x" }] },
                    ],
                },
            }),
        ).toEqual([
            "desiredConfiguration.containers[0].environmentVars[0].fieldRefFieldPath is not available: " +
                "the StartInstanceRefresh reference says so of " +
                "DesiredConfiguration.Containers.N.EnvironmentVars.N.FieldRefFieldPath",
        ]);
    });
});
