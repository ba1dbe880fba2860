/** The user's path (test/e2e/userPath.ts) on Node.js 22, a maintenance LTS line. */
import { describeUserPath, LATEST_PULUMI } from "./userPath";

describeUserPath({ node: 22, pulumi: LATEST_PULUMI });
