// No test may contact an address other than 127.0.0.1: keep every credential chain
// away from the cloud metadata services.
process.env.AWS_EC2_METADATA_DISABLED = "true";
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
// Every API action a resource calls on a simulator is logged here; scripts/check-policies.js
// compares them with policies/ after the suite (npm test empties the log first).
process.env.PULUMI_ROLLOUT_ACTION_LOG ??= require("path").resolve(
    __dirname,
    "..",
    ".pulumi-work",
    "actions.jsonl",
);
require("fs").mkdirSync(require("path").dirname(process.env.PULUMI_ROLLOUT_ACTION_LOG), {
    recursive: true,
});
// The fault matrix's figures (test/e2e/fault-matrix-*.test.ts) are written here;
// scripts/fault-report.js prints them after the suite.
process.env.PULUMI_ROLLOUT_FAULT_REPORT ??= require("path").resolve(
    __dirname,
    "..",
    ".pulumi-work",
    "fault-matrix",
);
