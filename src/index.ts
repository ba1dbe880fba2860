/** pulumi-rollout: fleet operations as Pulumi resources that wait until they have finished. */
export * as alicloud from "./alicloud";
export * as aws from "./aws";
