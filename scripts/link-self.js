#!/usr/bin/env node
"use strict";
/**
 * Links node_modules/pulumi-rollout to this checkout, so that `pulumi-rollout` resolves here as it
 * does in a user's project (where the package sits in node_modules): the examples import it by
 * name, and the serialized provider loads it by name in Pulumi's provider process.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

function ensureSelfLink() {
    const link = path.join(ROOT, "node_modules", "pulumi-rollout");
    try {
        if (fs.realpathSync(link) === fs.realpathSync(ROOT)) {
            return;
        }
        fs.rmSync(link, { recursive: true, force: true });
    } catch {
        // missing: created below
    }
    fs.symlinkSync("..", link, "dir");
}

module.exports = { ensureSelfLink };

if (require.main === module) {
    ensureSelfLink();
}
