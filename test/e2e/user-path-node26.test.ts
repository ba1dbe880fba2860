/**
 * The user's path (test/e2e/userPath.ts) on Node.js 26, the current release line. Pulumi's closure
 * serializer loads every built-in module when it serializes a dynamic provider, node:ffi among
 * them, and Node.js 26 warns once that FFI is experimental; README says so.
 */
import { describeUserPath, LATEST_PULUMI } from "./userPath";

describeUserPath({
    node: 26,
    pulumi: LATEST_PULUMI,
    knownWarnings: [
        {
            line: /ExperimentalWarning: FFI is an experimental feature and might change at any time/,
            readme: "ExperimentalWarning: FFI is an experimental feature",
            examples: ["sandbox", "sandbox-aws"],
        },
    ],
});
