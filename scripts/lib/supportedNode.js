"use strict";
/**
 * Development on the Node.js the lockfile's SDK needs: `npm test` and `npm run demo` started on an
 * older Node.js (the machine's 20, say, while @pulumi/pulumi 3.276 needs 22 or later) run
 * themselves again on Node.js 24, the active LTS line, found or installed by ensure-node.js, and
 * say so. The user's own projects are not affected: they run on the Node.js the user has.
 */
const { spawnSync } = require("child_process");
const path = require("path");
const { ensureNode, majorOf } = require("../ensure-node");

/** The line the suite runs on (README, "Supported versions"). */
const SUITE_NODE = 24;

/** The lowest Node.js major the installed @pulumi/pulumi declares (engines.node), if any. */
function neededMajor() {
    try {
        const { engines } = require("@pulumi/pulumi/package.json");
        return Number(/(\d+)/.exec(engines?.node ?? "")?.[1]) || undefined;
    } catch {
        return undefined;
    }
}

/**
 * On a Node.js older than the SDK needs, runs this script again on Node.js 24 and exits with its
 * code; otherwise returns.
 */
function runOnSupportedNode(what) {
    const needed = neededMajor();
    const current = majorOf(process.version);
    if (!needed || current >= needed) return;
    let node;
    try {
        node = ensureNode(SUITE_NODE);
    } catch (err) {
        process.stderr.write(
            `pulumi-rollout: ${what} needs Node.js ${needed} or later (@pulumi/pulumi's engines) and this is ` +
                `${process.version}, and Node.js ${SUITE_NODE} could not be had: ${err instanceof Error ? err.message : err}\n` +
                `Install Node.js ${SUITE_NODE} (https://nodejs.org/) and run it again.\n`,
        );
        process.exit(1);
    }
    process.stderr.write(
        `pulumi-rollout: ${what} needs Node.js ${needed} or later (@pulumi/pulumi's engines) and this is ` +
            `${process.version}: running it on Node.js ${node.version} (${node.source}, ${node.dir})\n`,
    );
    const env = { ...process.env, PATH: [node.dir, process.env.PATH].join(path.delimiter) };
    const r = spawnSync(path.join(node.dir, "node"), process.argv.slice(1), { stdio: "inherit", env });
    process.exit(r.status ?? 1);
}

module.exports = { runOnSupportedNode, SUITE_NODE };
