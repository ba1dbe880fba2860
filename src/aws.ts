export { InstanceRefresh } from "./resources/awsInstanceRefresh/resource";
export type {
    InstanceRefreshArgs,
    AwsDesiredConfigurationArgs,
    AwsRefreshPreferencesArgs,
    LaunchTemplateSpecArgs,
} from "./resources/awsInstanceRefresh/resource";
