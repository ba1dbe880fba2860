export { InstanceRefresh } from "./resources/alicloudInstanceRefresh/resource";
export type {
    InstanceRefreshArgs,
    DesiredConfigurationArgs,
} from "./resources/alicloudInstanceRefresh/resource";
