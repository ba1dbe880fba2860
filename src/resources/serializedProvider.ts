import type * as pulumi from "@pulumi/pulumi";

type Provider = pulumi.dynamic.ResourceProvider;
type Entry = { providerFor(type: string): Provider };

/**
 * The provider object handed to Pulumi, which serializes it into state. Each method only loads
 * this library's provider entry point by package name in the provider process and delegates, so
 * no client, secret or local code is captured (see src/provider.ts).
 */
export function serializedProvider(type: string): Provider {
    // One object per type: Pulumi caches a provider's serialization by object, so every resource
    // of a type shares one serialization instead of repeating it.
    let p = shared.get(type);
    if (!p) {
        p = makeProvider(type);
        shared.set(type, p);
    }
    return p;
}

const shared = new Map<string, Provider>();

function makeProvider(type: string): Provider {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
        configure: (req) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).configure!(req),
        check: (olds, news) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).check!(olds, news),
        diff: (id, olds, news) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).diff!(id, olds, news),
        create: (inputs) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).create(inputs),
        read: (id, props) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).read!(id, props),
        update: (id, olds, news) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).update!(id, olds, news),
        delete: (id, props) =>
            (require("pulumi-rollout/provider") as Entry).providerFor(type).delete!(id, props),
    };
}

/**
 * The outputs a resource class declares, all unset, so that Pulumi shows them before the provider
 * fills them in (derived from the provider's own list of outputs).
 */
export function unsetOutputs(empty: Readonly<Record<string, unknown>>): Record<string, undefined> {
    return Object.fromEntries(Object.keys(empty).map((k) => [k, undefined]));
}
