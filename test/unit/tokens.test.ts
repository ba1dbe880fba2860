import { deriveIdempotencyToken } from "../../src/core/tokens";
import { clientTokenFor } from "../../src/resources/alicloudInstanceRefresh/provider";

const inputs = {
    scalingGroupId: "asg-1",
    desiredConfiguration: { imageId: "m-1" },
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    skipMatching: true,
    checkpointPauseMinutes: 60,
    triggers: { release: "1" },
    timeoutMinutes: 60,
    onFailure: "fail",
};

describe("idempotency tokens", () => {
    test("are ASCII, at most 64 characters, and independent of key order", () => {
        const a = deriveIdempotencyToken({ x: 1, y: [1, { b: 2, a: 1 }] });
        const b = deriveIdempotencyToken({ y: [1, { a: 1, b: 2 }], x: 1 });
        expect(a).toBe(b);
        expect(a).toMatch(/^[\x20-\x7e]{1,64}$/);
    });

    test("the same intended refresh always gets the same ClientToken", () => {
        expect(clientTokenFor("cn-hangzhou", inputs, undefined)).toBe(
            clientTokenFor("cn-hangzhou", { ...inputs }, undefined),
        );
    });

    test("waiting options do not change it; what the refresh does does", () => {
        const base = clientTokenFor("cn-hangzhou", inputs, undefined);
        expect(
            clientTokenFor(
                "cn-hangzhou",
                { ...inputs, timeoutMinutes: 5, onFailure: "rollback" },
                undefined,
            ),
        ).toBe(base);
        expect(
            clientTokenFor("cn-hangzhou", { ...inputs, triggers: { release: "2" } }, undefined),
        ).not.toBe(base);
        expect(
            clientTokenFor(
                "cn-hangzhou",
                { ...inputs, desiredConfiguration: { imageId: "m-2" } },
                undefined,
            ),
        ).not.toBe(base);
        expect(clientTokenFor("cn-shanghai", inputs, undefined)).not.toBe(base);
    });

    test("a retry after a refresh ended gets a new token (the previous task id is part of it)", () => {
        expect(clientTokenFor("cn-hangzhou", inputs, "ir-1")).not.toBe(
            clientTokenFor("cn-hangzhou", inputs, undefined),
        );
        expect(clientTokenFor("cn-hangzhou", inputs, "ir-1")).not.toBe(
            clientTokenFor("cn-hangzhou", inputs, "ir-2"),
        );
        expect(clientTokenFor("cn-hangzhou", inputs, "ir-1").length).toBeLessThanOrEqual(64);
    });
});
