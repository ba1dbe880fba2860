/**
 * The user's path (test/e2e/userPath.ts) on Node.js 20, the floor: @pulumi/pulumi 3.248 is the last
 * release for it. The AWS SDK warns there that its releases after the first week of January 2027
 * need Node.js 22; README says so.
 */
import { describeUserPath } from "./userPath";

describeUserPath({
    node: 20,
    pulumi: "~3.248.0",
    knownWarnings: [
        {
            line: /Warning: NodeVersionSupportWarning: The AWS SDK for JavaScript \(v3\)/,
            readme: "NodeVersionSupportWarning",
            // The ESS example loads no AWS SDK.
            examples: ["sandbox-aws"],
        },
    ],
});
