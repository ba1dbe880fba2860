/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
    setupFiles: ["<rootDir>/test/setup-env.js"],
    // e2e tests drive the real Pulumi CLI; they set their own per-test timeouts.
    testTimeout: 60_000,
};
