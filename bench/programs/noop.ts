// Bench program: `count` minimal no-op dynamic resources (the anchor of the engine-overhead part):
// a provider with only `create`, which records when the provider process first did any work.
import * as pulumi from "@pulumi/pulumi";

const noopProvider: pulumi.dynamic.ResourceProvider = {
    create: (inputs: Record<string, unknown>) =>
        Promise.resolve({
            id: String(inputs["name"]),
            outs: { ...inputs, createdAtMs: Date.now() },
        }),
};

class Noop extends pulumi.dynamic.Resource {
    declare public readonly createdAtMs: pulumi.Output<number>;

    constructor(name: string) {
        super(noopProvider, name, { name, createdAtMs: undefined }, {});
    }
}

const config = new pulumi.Config();
const count = config.requireNumber("count");
const resources = Array.from({ length: count }, (_, i) => new Noop(`noop-${i}`));

/** When the provider process first created a resource (ms since the epoch). */
export const firstCreateMs = pulumi
    .all(resources.map((r) => r.createdAtMs))
    .apply((all) => Math.min(...all));
