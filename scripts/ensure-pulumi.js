#!/usr/bin/env node
/**
 * Ensures the Pulumi CLI of the version pinned by package.json's @pulumi/pulumi:
 *   1. a `pulumi` on PATH of that version, else
 *   2. a build cached under ~/.cache/pulumi-rollout/ (or $PULUMI_ROLLOUT_CACHE), else
 *   3. builds it there from the Go module proxy with the machine's Go.
 * Prints the directory holding the binary. With --require, fails loudly when none can be had.
 * With --language-host, also the Node.js language host (`pulumi-language-nodejs`, which `pulumi up`
 * of a `runtime: nodejs` project runs): beside that `pulumi` or on PATH, else cached, else built from
 * ../shared/pulumi-language-nodejs (about 2 minutes, once); then it prints both directories.
 * As a module: ensurePulumi() returns { dir, version, source }; ensureLanguageHost() returns
 * { dir, version, source, cli } (cli: ensurePulumi()'s answer).
 */
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

function pinnedVersion() {
    const pkg = require("@pulumi/pulumi/package.json");
    return `v${pkg.version}`;
}

function versionOf(binary) {
    try {
        return execFileSync(binary, ["version"], {
            encoding: "utf8",
            env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
            stdio: ["ignore", "pipe", "ignore"],
            timeout: 30_000,
        }).trim();
    } catch {
        return undefined;
    }
}

function onPath() {
    for (const dir of (process.env.PATH || "").split(path.delimiter)) {
        const candidate = path.join(dir, "pulumi");
        if (dir && fs.existsSync(candidate)) {
            return candidate;
        }
    }
    return undefined;
}

function cacheDir(version) {
    const root = process.env.PULUMI_ROLLOUT_CACHE || path.join(os.homedir(), ".cache", "pulumi-rollout");
    return path.join(root, `cli-${version}`);
}

function build(version, dir, log) {
    const go = spawnSync("go", ["version"], { encoding: "utf8" });
    if (go.status !== 0) {
        throw new Error(
            "Go is not installed, so the Pulumi CLI cannot be built. Install Go (https://go.dev/dl/) " +
                `or the Pulumi CLI ${version} (https://www.pulumi.com/docs/install/) and put it on PATH.`,
        );
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
        path.join(dir, "go.mod"),
        "module local/pulumicli\n\ngo 1.25.11\n\n" +
            "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e\n",
    );
    // The checksum database is not reachable from every build machine; the module proxy is.
    const env = { ...process.env, GOSUMDB: process.env.GOSUMDB || "off", GOFLAGS: "-mod=mod" };
    const run = (args) => {
        log(`$ go ${args.join(" ")}`);
        const r = spawnSync("go", args, { cwd: dir, env, stdio: ["ignore", "inherit", "inherit"] });
        if (r.status !== 0) {
            throw new Error(`building the Pulumi CLI failed: go ${args.join(" ")} exited ${r.status}`);
        }
    };
    run(["get", `github.com/pulumi/pulumi/pkg/v3@${version}`, `github.com/pulumi/pulumi/sdk/v3@${version}`]);
    const ld = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`;
    run(["build", "-trimpath", "-ldflags", ld, "-o", "bin/pulumi", "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"]);
}

/**
 * The official Pulumi distribution ships the dynamic-provider plugin (a small script from
 * @pulumi/pulumi) next to the `pulumi` binary; a source build does not: put it there.
 */
function bundleDynamicProviderPlugin(binDir) {
    const name = "pulumi-resource-pulumi-nodejs";
    const target = path.join(binDir, name);
    if (!fs.existsSync(target)) {
        const source = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), name);
        fs.copyFileSync(source, target);
        fs.chmodSync(target, 0o755);
    }
}

/** Finds or builds the pinned Pulumi CLI. */
function ensurePulumi(log = (l) => process.stderr.write(l + "\n")) {
    const version = pinnedVersion();
    const found = onPath();
    if (found && versionOf(found) === version) {
        return { dir: path.dirname(found), version, source: "PATH" };
    }
    const dir = cacheDir(version);
    const cached = path.join(dir, "bin", "pulumi");
    if (fs.existsSync(cached) && versionOf(cached) === version) {
        bundleDynamicProviderPlugin(path.dirname(cached));
        return { dir: path.dirname(cached), version, source: "cache" };
    }
    log(
        `pulumi-rollout: the Pulumi CLI ${version} is not on PATH${found ? ` (found ${versionOf(found) ?? "?"})` : ""}; ` +
            `building it into ${dir} (a few minutes, once)`,
    );
    build(version, dir, log);
    if (versionOf(cached) !== version) {
        throw new Error(`the Pulumi CLI built into ${dir} does not report ${version}`);
    }
    bundleDynamicProviderPlugin(path.dirname(cached));
    return { dir: path.dirname(cached), version, source: "built" };
}

const LANGUAGE_HOST = "pulumi-language-nodejs";
/** The language host's source and build script, kept beside the checkout (see API-NOTES). */
const LANGUAGE_HOST_SOURCE = path.resolve(__dirname, "..", "..", "shared", "pulumi-language-nodejs", "build.sh");

/**
 * Finds or builds the Node.js language host of the CLI's version. A Pulumi installation has it
 * beside `pulumi` (of the same version: only that one is taken); a source build of the CLI does
 * not, so it is built into the CLI's cache folder, from the source kept beside this checkout,
 * against the Pulumi Go modules of the CLI's version.
 */
function ensureLanguageHost(log = (l) => process.stderr.write(l + "\n")) {
    const cli = ensurePulumi(log);
    if (fs.existsSync(path.join(cli.dir, LANGUAGE_HOST))) {
        return { dir: cli.dir, version: cli.version, source: cli.source === "PATH" ? "beside pulumi on PATH" : "cache", cli };
    }
    const dir = path.join(cacheDir(cli.version), "bin");
    if (fs.existsSync(path.join(dir, LANGUAGE_HOST))) {
        return { dir, version: cli.version, source: "cache", cli };
    }
    if (!fs.existsSync(LANGUAGE_HOST_SOURCE)) {
        throw new Error(
            `the Node.js language host (${LANGUAGE_HOST}) is neither beside pulumi nor on PATH, and its source ` +
                `(${LANGUAGE_HOST_SOURCE}) is not here to build it. Install the Pulumi CLI ${cli.version} with ` +
                "Pulumi's installer (https://www.pulumi.com/docs/install/), which ships it.",
        );
    }
    log(`pulumi-rollout: the Node.js language host ${cli.version} is not on PATH; building it into ${dir} (about 2 minutes, once)`);
    const r = spawnSync("bash", [LANGUAGE_HOST_SOURCE, cli.version, dir], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0 || !fs.existsSync(path.join(dir, LANGUAGE_HOST))) {
        throw new Error(`building the Node.js language host ${cli.version} failed (build.sh exited ${r.status})`);
    }
    return { dir, version: cli.version, source: "built", cli };
}

module.exports = { ensurePulumi, ensureLanguageHost, pinnedVersion };

if (require.main === module) {
    try {
        if (process.argv.includes("--language-host")) {
            const host = ensureLanguageHost();
            process.stderr.write(`the Pulumi CLI ${host.cli.version} (${host.cli.source}) and its Node.js language host (${host.source})\n`);
            console.log(host.cli.dir);
            if (host.dir !== host.cli.dir) console.log(host.dir);
        } else {
            const r = ensurePulumi();
            console.log(r.dir);
        }
    } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        const what = process.argv.includes("--language-host") ? "THE PULUMI CLI OR ITS NODE.JS LANGUAGE HOST" : "THE PULUMI CLI";
        console.error(`\n*** pulumi-rollout: ${what} IS NOT AVAILABLE ***`);
        console.error(msg);
        console.error(
            `Install the Pulumi CLI ${pinnedVersion()} (https://www.pulumi.com/docs/install/) or Go, then try again.`,
        );
        process.exit(process.argv.includes("--require") ? 1 : 0);
    }
}
