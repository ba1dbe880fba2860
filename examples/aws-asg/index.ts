// An Auto Scaling group whose launch template changes reach its instances only through an
// instance refresh that `pulumi up` waits for, and that AWS rolls back to what ran before if it
// fails.
//
//   pulumi config set aws:region eu-west-1
//   pulumi config set --path 'subnetIds[0]' subnet-...   # subnets of your VPC
//   pulumi config set amiId ami-...                      # the image to roll out
//   pulumi up
//
// Change `amiId` and run `pulumi up`: the launch template gets a new version, the group's own
// reference stays where it is (ignoreChanges), and the refresh moves the instances to the new
// version; on success AWS points the group at it, on failure AWS rolls the group and its
// instances back to the previous version.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as rollout from "pulumi-rollout";

const config = new pulumi.Config();

const template = new aws.ec2.LaunchTemplate("web", {
    imageId: config.require("amiId"),
    instanceType: config.get("instanceType") ?? "t3.micro",
    // The group follows explicit versions; the default version is not what rolls out.
    updateDefaultVersion: false,
});

// The version the instances should run: the template's newest one, as a number.
const version = template.latestVersion.apply((v) => String(v));

const group = new aws.autoscaling.Group(
    "web",
    {
        minSize: 2,
        maxSize: 6,
        desiredCapacity: 4,
        vpcZoneIdentifiers: config.requireObject<string[]>("subnetIds"),
        healthCheckType: "EC2",
        launchTemplate: { id: template.id, version },
    },
    // The refresh, not this resource, moves the group to a new version: if Pulumi changed the group
    // first, a failed refresh would have nothing to roll back to.
    { ignoreChanges: ["launchTemplate"] },
);

const refresh = new rollout.aws.InstanceRefresh("web-rollout", {
    autoScalingGroupName: group.name,
    desiredConfiguration: { launchTemplate: { launchTemplateId: template.id, version } },
    preferences: {
        minHealthyPercentage: 90,
        maxHealthyPercentage: 120,
        instanceWarmupSeconds: 120,
        checkpointPercentages: [25, 100],
        checkpointDelaySeconds: 300,
        skipMatching: true,
    },
    timeoutMinutes: 90,
    onFailure: "rollback",
    onTimeout: "rollback",
    onConflict: "wait",
});

export const groupName = group.name;
export const launchTemplateVersion = version;
export const refreshId = refresh.instanceRefreshId;
export const refreshStatus = refresh.status;
