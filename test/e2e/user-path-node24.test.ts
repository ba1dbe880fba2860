/** The user's path (test/e2e/userPath.ts) on Node.js 24, the active LTS line (the whole suite runs on it too). */
import { describeUserPath, LATEST_PULUMI } from "./userPath";

describeUserPath({ node: 24, pulumi: LATEST_PULUMI });
