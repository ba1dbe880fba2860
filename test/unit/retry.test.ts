import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import { backoffDelay, withRetry } from "../../src/core/retry";

describe("withRetry", () => {
    test("retries what is classified as retryable, with growing jittered delays", async () => {
        const clock = new VirtualClock();
        let calls = 0;
        const result = await withRetry(
            async () => {
                if (++calls < 4) {
                    throw new Error("Throttling.User");
                }
                return "done";
            },
            { clock, random: () => 0.5, classify: () => ({ retry: true }) },
        );
        expect(result).toBe("done");
        expect(calls).toBe(4);
        expect(clock.sleeps).toEqual([375, 750, 1_500]);
    });

    test("never retries what is classified as final (a 4xx)", async () => {
        const clock = new VirtualClock();
        let calls = 0;
        await expect(
            withRetry(
                async () => {
                    calls++;
                    throw new Error("InvalidParameter");
                },
                { clock, classify: () => ({ retry: false }) },
            ),
        ).rejects.toThrow("InvalidParameter");
        expect(calls).toBe(1);
        expect(clock.sleeps).toEqual([]);
    });

    test("gives up after maxAttempts with the last failure, honouring a server's retry-after", async () => {
        const clock = new VirtualClock();
        let calls = 0;
        await expect(
            withRetry(
                async () => {
                    throw new Error(`fail ${++calls}`);
                },
                {
                    clock,
                    maxAttempts: 3,
                    random: () => 0,
                    classify: () => ({ retry: true, afterMs: 5_000 }),
                },
            ),
        ).rejects.toThrow("fail 3");
        expect(clock.sleeps).toEqual([5_000, 5_000]);
    });

    test("backoff stays within [ceiling/2, ceiling] and the ceiling is capped", () => {
        for (let attempt = 1; attempt <= 12; attempt++) {
            const ceiling = Math.min(20_000, 500 * 2 ** (attempt - 1));
            expect(backoffDelay(attempt, 500, 20_000, () => 0)).toBe(ceiling / 2);
            expect(backoffDelay(attempt, 500, 20_000, () => 0.999999)).toBeLessThanOrEqual(ceiling);
        }
    });
});

describe("CloudError advice", () => {
    const err = (code: string): CloudError =>
        new CloudError({
            service: "ESS",
            operation: "DescribeScalingGroups",
            code,
            cloudMessage: "refused",
            httpStatus: 400,
            transient: false,
        });
    test("refused credentials, a skewed clock and a missing permission each say what to do", () => {
        expect(err("InvalidAccessKeyId.NotFound").message).toContain(
            "The credentials were refused: check the access key",
        );
        expect(err("InvalidClientTokenId").message).toContain("The credentials were refused");
        expect(err("InvalidTimeStamp.Expired").message).toContain(
            "This machine's clock is too far from the cloud's",
        );
        expect(err("Forbidden.RAM").message).toContain("policies/alicloud-ram.json");
        expect(err("CredentialsProviderError").message).toContain(
            "No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        );
        expect(err("InvalidParameter").message).toBe(
            "ESS DescribeScalingGroups failed: HTTP 400 InvalidParameter: refused",
        );
        expect(err("constructor").message).not.toContain("undefined");
    });
});
