/**
 * `npm test` and `npm run demo` started on a Node.js older than the SDK needs run themselves again
 * on Node.js 24 (scripts/lib/supportedNode.js), and say so.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureNode } from "../../scripts/ensure-node";

const ROOT = path.resolve(__dirname, "..", "..");

test("a script started on Node.js 20 runs again on Node.js 24 and says why", () => {
    const node20 = ensureNode(20);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-supported-node-"));
    try {
        const script = path.join(dir, "probe.js");
        fs.writeFileSync(
            script,
            `require(${JSON.stringify(path.join(ROOT, "scripts", "lib", "supportedNode.js"))})` +
                `.runOnSupportedNode("the probe");\n` +
                "console.log(`ran on ${process.version} with ${process.argv.slice(2).join(' ')}`);\n",
        );
        const r = spawnSync(path.join(node20.dir, "node"), [script, "--an", "argument"], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60_000,
        });
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^ran on v24\.\d+\.\d+ with --an argument$/m);
        expect(r.stderr).toMatch(
            /the probe needs Node\.js 22 or later \(@pulumi\/pulumi's engines\) and this is v20\.[\d.]+: running it on Node\.js v24\./,
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
