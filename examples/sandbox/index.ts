// An ESS instance refresh rehearsed against the bundled simulator (`npm run demo` runs it).
// Point ALIBABA_CLOUD_ESS_ENDPOINT at the simulator and use its access key; against the real
// cloud, unset the endpoint and use your own credentials and scaling group.
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-rollout";

const config = new pulumi.Config();
const scalingGroupId = config.get("scalingGroupId") ?? "asg-sandbox-web";

// New instances held in this lifecycle hook while they bootstrap get heartbeats while the refresh
// waits, so a bootstrap longer than the hook's timeout does not hit its default result.
const hookId = config.get("lifecycleHookId");
const bootstrap = hookId
    ? new alicloud.LifecycleHeartbeatPolicy("bootstrap", {
          scalingGroupId,
          lifecycleHookId: hookId,
          heartbeatTimeoutSeconds: config.getNumber("heartbeatTimeoutSeconds"),
          maxHeartbeats: config.getNumber("maxHeartbeats"),
          maxPendingMinutes: config.getNumber("maxPendingMinutes"),
          // Scaling done elsewhere (a new desired capacity): keep what is pending now alive.
          servicePendingActions: config.getBoolean("servicePendingActions"),
      })
    : undefined;

// `refresh: false` declares only the policy (with servicePendingActions, for scaling done elsewhere).
const refresh = config.getBoolean("refresh") ?? true;
const preferences = config.getBoolean("preferences") ?? true;
const web = refresh
    ? new alicloud.InstanceRefresh("web", {
          scalingGroupId,
          // The region comes from the stack config `alicloud:region`.
          // A new image for the active scaling configuration, or (`scalingConfigurationId`) another
          // scaling configuration for the group.
          desiredConfiguration: config.get("scalingConfigurationId")
              ? { scalingConfigurationId: config.require("scalingConfigurationId") }
              : { imageId: config.get("imageId") ?? "m-sandbox-image-v2" },
          // `preferences: false` leaves the healthy percentages to ESS's defaults.
          minHealthyPercentage: preferences
              ? (config.getNumber("minHealthyPercentage") ?? 80)
              : undefined,
          maxHealthyPercentage: preferences
              ? (config.getNumber("maxHealthyPercentage") ?? 120)
              : undefined,
          // ESS skips instances already on the desired configuration (and updates the group's
          // image on success): `skipMatching: false` replaces every instance.
          skipMatching: config.getBoolean("skipMatching"),
          checkpoints: config.getObject<number[]>("checkpoints"),
          checkpointPauseMinutes: config.getNumber("checkpointPauseMinutes"),
          // Bump `release` to refresh the group again with the same image (with skipMatching
          // false: with it on, instances already on that image are left as they are).
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

export const taskId = web?.instanceRefreshTaskId;
export const status = web?.status;
export const replaced =
    web && pulumi.interpolate`${web.finishedUpdateCapacity}/${web.totalNeedUpdateCapacity}`;
export const heartbeats = web?.heartbeats;
// The rollout plan read before the refresh started (the same block preview prints).
export const plan = web?.plan;
// Without a lifecycle hook there is no policy, and so nothing pending to report.
export const pendingActions = bootstrap ? bootstrap.actions : [];
