/**
 * ESS error codes this library acts on.
 *
 * StartInstanceRefresh on a group that already has a running refresh task. ESS's public error
 * center does not list this case's code; "OperationDenied" is ESS's documented code for an
 * operation the group's state does not allow, and "InstanceRefreshInProgress" follows ESS's naming
 * (ScalingActivityInProgress). A code here is only a hint: the group's running refresh is looked up
 * before anything is decided, and the cloud's own error stands when there is none.
 */
export const ESS_REFRESH_IN_PROGRESS_CODES: readonly string[] = ["InstanceRefreshInProgress", "OperationDenied"];
