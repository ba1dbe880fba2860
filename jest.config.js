/**
 * One jest run for the three tiers. The end-to-end files mostly wait (on simulated refreshes and on
 * the Pulumi CLI), so they run side by side: more workers than cores, and the tests of a file that
 * share nothing run concurrently within it. Type checking is `npm run typecheck`'s job: jest only
 * transpiles (tsconfig.jest.json).
 *
 * PULUMI_ROLLOUT_TEST_WORKERS and PULUMI_ROLLOUT_TEST_CONCURRENCY override the defaults.
 */
const workers = Number(process.env.PULUMI_ROLLOUT_TEST_WORKERS) || 6;
const concurrency = Number(process.env.PULUMI_ROLLOUT_TEST_CONCURRENCY) || 4;

/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
    setupFiles: ["<rootDir>/test/setup-env.js"],
    // e2e tests drive the real Pulumi CLI; they set their own per-test timeouts.
    testTimeout: 60_000,
    maxWorkers: workers,
    maxConcurrency: concurrency,
    testSequencer: "<rootDir>/test/support/sequencer.js",
    reporters: ["default", "<rootDir>/test/support/timing-reporter.js"],
};
