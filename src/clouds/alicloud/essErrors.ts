/**
 * ESS error codes this library acts on.
 *
 * StartInstanceRefresh on a group that already has a running refresh task. ESS's public error
 * center does not list this case's code; "OperationDenied" is ESS's documented code for an
 * operation the group's state does not allow, and "InstanceRefreshInProgress" follows ESS's naming
 * (ScalingActivityInProgress). A code here is only a hint: the group's running refresh is looked up
 * before anything is decided, and the cloud's own error stands when there is none.
 */
export const ESS_REFRESH_IN_PROGRESS_CODES: readonly string[] = [
    "InstanceRefreshInProgress",
    "OperationDenied",
];

/**
 * StartInstanceRefresh when no instance of the group needs a refresh (every instance already uses
 * the desired configuration). Seen handled by the Terraform alicloud provider's
 * alicloud_ess_instance_refresh; the group is already where the refresh would take it.
 */
export const ESS_NOTHING_TO_REFRESH_CODES: readonly string[] = [
    "InvalidInstance.NoInstanceNeedBeRefreshed",
];

/** A refresh task or its scaling group that does not exist (any more). */
export const ESS_NOT_FOUND_CODES: readonly string[] = [
    "InvalidScalingGroupId.NotFound",
    "InvalidInstanceRefreshTaskId.NotFound",
];
