// An EC2 Auto Scaling instance refresh rehearsed against the bundled simulator (`npm run demo` runs
// it). Point AWS_ENDPOINT_URL_AUTO_SCALING and AWS_ENDPOINT_URL_EC2 at the simulator and use its
// access key; against AWS, unset them and use your own credentials, group and launch template.
import * as pulumi from "@pulumi/pulumi";
import { aws } from "pulumi-rollout";

const config = new pulumi.Config();
const autoScalingGroupName = config.get("groupName") ?? "sandbox-web";

// New instances held in Pending:Wait by this lifecycle hook while they bootstrap get heartbeats
// while the refresh waits, so a bootstrap longer than the hook's timeout is not abandoned.
const hookName = config.get("lifecycleHookName");
const bootstrap = hookName
    ? new aws.LifecycleHeartbeatPolicy("bootstrap", {
          autoScalingGroupName,
          lifecycleHookName: hookName,
          maxHeartbeats: config.getNumber("maxHeartbeats"),
          maxPendingMinutes: config.getNumber("maxPendingMinutes"),
          // Scaling done elsewhere (a new desired capacity): keep what is pending now alive.
          servicePendingActions: config.getBoolean("servicePendingActions"),
      })
    : undefined;

// `refresh: false` declares only the policy (with servicePendingActions, for scaling done elsewhere).
const refresh = config.getBoolean("refresh") ?? true;
const web = refresh
    ? new aws.InstanceRefresh("web", {
          autoScalingGroupName,
          // The region comes from the stack config `aws:region`.
          // `desiredConfiguration: false` replaces the instances with the group's own launch
          // template instead.
          desiredConfiguration:
              (config.getBoolean("desiredConfiguration") ?? true)
                  ? {
                        launchTemplate: {
                            launchTemplateId:
                                config.get("launchTemplateId") ?? "lt-0123456789abcdef0",
                            version: config.get("launchTemplateVersion") ?? "2",
                        },
                    }
                  : undefined,
          // `preferences: false` leaves every preference to AWS's defaults.
          preferences:
              (config.getBoolean("preferences") ?? true)
                  ? {
                        minHealthyPercentage: config.getNumber("minHealthyPercentage") ?? 50,
                        skipMatching: config.getBoolean("skipMatching") ?? true,
                        checkpointPercentages: config.getObject<number[]>("checkpointPercentages"),
                        checkpointDelaySeconds: config.getNumber("checkpointDelaySeconds"),
                        bakeTimeSeconds: config.getNumber("bakeTimeSeconds"),
                        // What a refresh does with instances protected from scale-in or in
                        // Standby; AWS's default for both is "Wait".
                        scaleInProtectedInstances: config.get("scaleInProtectedInstances") as
                            "Refresh" | "Ignore" | "Wait" | undefined,
                        standbyInstances: config.get("standbyInstances") as
                            "Terminate" | "Ignore" | "Wait" | undefined,
                    }
                  : undefined,
          // Bump `release` to refresh the group again with the same version.
          triggers: { release: config.get("release") ?? "1" },
          timeoutMinutes: config.getNumber("timeoutMinutes") ?? 30,
          onFailure: (config.get("onFailure") as "rollback" | "fail" | undefined) ?? "fail",
          onTimeout:
              (config.get("onTimeout") as "cancel" | "rollback" | "leave" | undefined) ?? "cancel",
          onConflict:
              (config.get("onConflict") as "wait" | "cancel" | "fail" | undefined) ?? "wait",
          heartbeatPolicies: bootstrap ? [bootstrap] : undefined,
      })
    : undefined;

export const refreshId = web?.instanceRefreshId;
export const status = web?.status;
export const percentageComplete = web?.percentageComplete;
export const heartbeats = web?.heartbeats;
// The rollout plan read before the refresh started (the same block preview prints).
export const plan = web?.plan;
// Without a lifecycle hook there is no policy, and so nothing pending to report.
export const pendingActions = bootstrap ? bootstrap.actions : [];
