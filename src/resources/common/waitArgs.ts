import type * as pulumi from "@pulumi/pulumi";
import type { HeartbeatPolicyInput } from "../heartbeatPolicy/resource";

/** How `pulumi up` waits for a refresh, the same for every cloud. */
export interface RefreshWaitArgs {
    /** Any values; a change starts a new refresh even when nothing else changed. */
    triggers?: pulumi.Input<Record<string, pulumi.Input<unknown>> | pulumi.Input<unknown>[]>;
    /** How long `pulumi up` waits for the refresh, in minutes, 1 to 10080. Default 60. */
    timeoutMinutes?: pulumi.Input<number>;
    /** When timeoutMinutes pass: "cancel", "rollback" or "leave" it running. Default "cancel". */
    onTimeout?: pulumi.Input<"cancel" | "rollback" | "leave">;
    /** When another refresh is running on the group: "wait" for it, "cancel" it, or "fail". Default "wait". */
    onConflict?: pulumi.Input<"wait" | "cancel" | "fail">;
    /**
     * LifecycleHeartbeatPolicy resources (of this cloud, for this group; at most 10): while the
     * refresh waits, the instances held in those hooks get heartbeats within the policies' caps,
     * so that slow bootstraps do not hit the hooks' default results. On ESS, the refresh's own new
     * instances; on AWS, every instance of the group in the hook's wait state (AWS does not say
     * which launch an instance came from). Default none.
     */
    heartbeatPolicies?: HeartbeatPolicyInput[];
}
