export { InstanceRefresh } from "./resources/alicloudInstanceRefresh/resource";
export type {
    InstanceRefreshArgs,
    DesiredConfigurationArgs,
} from "./resources/alicloudInstanceRefresh/resource";
export { InstanceRedeploy } from "./resources/alicloudInstanceRedeploy/resource";
export type { InstanceRedeployArgs } from "./resources/alicloudInstanceRedeploy/resource";
export type {
    InstanceOutcome,
    InstanceResult as InstanceRedeployResult,
} from "./resources/alicloudInstanceRedeploy/types";
export * as events from "./clouds/alicloud/events";
export { AlicloudLifecycleHeartbeatPolicy as LifecycleHeartbeatPolicy } from "./resources/heartbeatPolicy/resource";
export type { AlicloudLifecycleHeartbeatPolicyArgs as LifecycleHeartbeatPolicyArgs } from "./resources/heartbeatPolicy/resource";
export type { HeartbeatPolicyValue } from "./resources/heartbeatPolicy/types";
