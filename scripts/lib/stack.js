"use strict";
/**
 * Runs a Pulumi operation (preview, up, refresh, destroy) with the real Pulumi CLI on one of the
 * programs in examples/, with a local file backend and no cloud account.
 *
 * The program runs as an Automation API inline program (the compiled example module is required
 * inside it), so no Pulumi language host binary is needed; everything else is the real CLI and
 * engine: the same preview, diffs, dynamic provider process, state file and output a user sees.
 */
const fs = require("fs");
const path = require("path");
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const { ensurePulumi } = require("../ensure-pulumi");
const { ensureSelfLink } = require("../link-self");

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * @param {object} o
 * @param {"preview"|"up"|"refresh"|"destroy"|"cancel"} o.command
 * @param {string} o.example      folder under examples/ (compiled to examples/<name>/bin/index.js)
 * @param {string} [o.programModule] a compiled program module to run instead of the example's
 *                                   (o.example then only names the project)
 * @param {string} [o.workDir]    the project folder (default .pulumi-work/<example>-<state>); the
 *                                provider process starts in it and resolves pulumi-rollout from it
 * @param {number} [o.parallel]   resource operations at once (pulumi's --parallel; default the CLI's)
 * @param {string} o.stateDir     the file backend's folder
 * @param {string} [o.stack]      stack name (default "dev")
 * @param {Record<string,string>} [o.config] stack config (plain values), e.g. {"alicloud:region": "cn-hangzhou"}
 * @param {Record<string,string>} [o.env] environment for the CLI and the provider process
 * @param {(text: string) => void} [o.onOutput] the CLI's output as it comes
 * @param {AbortSignal} [o.signal] when it aborts, the CLI gets SIGINT (as from Ctrl-C): it cancels
 *                                 the operation gracefully, waiting for the resource steps in flight
 * @returns {Promise<{ ok: boolean, output: string, outputs?: object, error?: string, seconds: number }>}
 *          seconds: the operation itself (not selecting the stack or setting config)
 */
async function runStack(o) {
    const stackName = o.stack || "dev";
    const projectName = `rollout-${o.example}`;
    const programModule = o.programModule || path.join(ROOT, "examples", o.example, "bin", "index.js");
    if (!fs.existsSync(programModule)) {
        throw new Error(`${programModule} is missing: run \`npm run build\` first`);
    }
    // The project folder must sit inside this package so that the provider process (started in
    // it) resolves @pulumi/pulumi and pulumi-rollout from the package's node_modules.
    const workDir = o.workDir || path.join(ROOT, ".pulumi-work", `${o.example}-${path.basename(o.stateDir)}`);
    fs.mkdirSync(workDir, { recursive: true });
    fs.mkdirSync(o.stateDir, { recursive: true });
    const cli = ensurePulumi();
    const pulumiHome = path.join(o.stateDir, ".pulumi-home");
    const envVars = {
        PULUMI_BACKEND_URL: `file://${o.stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "pulumi-rollout-sandbox",
        PULUMI_HOME: pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        AWS_EC2_METADATA_DISABLED: "true",
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
        PATH: [cli.dir, process.env.PATH].join(path.delimiter),
        ...(o.env || {}),
    };
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(cli.dir), skipVersionCheck: true });
    ensureSelfLink();
    const program = async () => {
        // A program registers its resources when its module is loaded: load it afresh every run.
        delete require.cache[require.resolve(programModule)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exportsOf = require(programModule);
        return { ...exportsOf };
    };
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, projectName, program },
        { workDir, pulumiCommand, envVars, projectSettings: { name: projectName, runtime: "nodejs" } },
    );
    // One `pulumi config set-all` for the whole config, not one CLI run per key.
    const config = Object.fromEntries(
        Object.entries(o.config || {}).map(([key, value]) => [key, { value: String(value) }]),
    );
    if (Object.keys(config).length > 0) {
        await stack.setAllConfig(config);
    }
    let output = "";
    const onOutput = (text) => {
        output += text;
        o.onOutput?.(text);
    };
    const parallel = o.parallel;
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    // up reads the stack's outputs itself: they are not read again (one CLI call less).
    let outputs;
    try {
        switch (o.command) {
            case "preview":
                await stack.preview({ onOutput, signal: o.signal, diff: false, parallel });
                break;
            case "up":
                ({ outputs } = await stack.up({ onOutput, signal: o.signal, parallel }));
                break;
            case "refresh":
                await stack.refresh({ onOutput, signal: o.signal });
                break;
            case "destroy":
                await stack.destroy({ onOutput, signal: o.signal });
                break;
            case "cancel":
                // What the CLI tells a user to run after a killed `pulumi up`: removes its lock.
                await stack.cancel();
                break;
            default:
                throw new Error(`unknown command ${o.command}`);
        }
        const took = seconds();
        outputs ??= o.command === "destroy" || o.command === "cancel" ? {} : await stack.outputs();
        const plain = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
        return { ok: true, output, outputs: plain, seconds: took };
    } catch (err) {
        const e = /** @type {any} */ (err);
        const error = String(e && (e.commandResult?.stderr || e.message) || e);
        return { ok: false, output, error, seconds: seconds() };
    }
}

/** The path of the stack's state file in a file backend. */
function stateFile(stateDir, example, stack = "dev") {
    return path.join(stateDir, ".pulumi", "stacks", `rollout-${example}`, `${stack}.json`);
}

module.exports = { runStack, stateFile, ROOT };
