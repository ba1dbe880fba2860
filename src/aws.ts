export { InstanceRefresh } from "./resources/awsInstanceRefresh/resource";
export type {
    InstanceRefreshArgs,
    AwsDesiredConfigurationArgs,
    AwsRefreshPreferencesArgs,
    LaunchTemplateSpecArgs,
} from "./resources/awsInstanceRefresh/resource";
export { AwsLifecycleHeartbeatPolicy as LifecycleHeartbeatPolicy } from "./resources/heartbeatPolicy/resource";
export type { AwsLifecycleHeartbeatPolicyArgs as LifecycleHeartbeatPolicyArgs } from "./resources/heartbeatPolicy/resource";
export type { HeartbeatPolicyValue } from "./resources/heartbeatPolicy/types";
