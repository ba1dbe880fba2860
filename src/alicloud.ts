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
