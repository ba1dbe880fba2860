/**
 * ESS error codes this library acts on.
 *
 * None is listed for a StartInstanceRefresh refused because the group already has a running
 * refresh: ESS's public error center names no code for it, so any refusal not listed below for
 * another reason is decided by the group's refreshes (ESS_START_REFUSED_FOR_OTHER_REASONS).
 */

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

/**
 * RecordLifecycleActionHeartbeat / CompleteLifecycleAction: the hook id and token match no lifecycle
 * action in process (vendor page, seed 004). The action has ended (completed, timed out) or never
 * existed: stop heartbeating it.
 */
export const ESS_LIFECYCLE_ACTION_NOT_PENDING_CODES: readonly string[] = [
    "LifecycleHookIdAndLifecycleActionToken.Invalid",
];

/**
 * RecordLifecycleActionHeartbeat beyond ESS's caps (vendor page, seed 004): the 21st heartbeat of
 * one Pending period (RecordTimesExceeded), or a window ending more than 6 hours after the
 * instance entered Pending (TimeExceeded). The action keeps its current window.
 */
export const ESS_HEARTBEAT_LIMIT_CODES: readonly string[] = [
    "LifecycleAction.RecordTimesExceeded",
    "LifecycleAction.TimeExceeded",
];

/**
 * An invalid parameter value. RecordLifecycleActionHeartbeat answers "InvalidParamter" (sic, the
 * vendor page's spelling, e.g. a heartbeatTimeout outside 30-21600); other actions "InvalidParameter".
 */
export const ESS_INVALID_PARAMETER_CODES: readonly string[] = [
    "InvalidParamter",
    "InvalidParameter",
];

/**
 * StartInstanceRefresh refusals for reasons other than a running refresh: a refusal with any other
 * code may be one (ESS documents no code for it), and the group's refreshes are looked up. The
 * "nothing to refresh" code is not among these: ESS does not document it either, so a running
 * refresh is looked for behind it too, and the group's instances are read before it is believed.
 */
export const ESS_START_REFUSED_FOR_OTHER_REASONS: readonly string[] = [
    ...ESS_INVALID_PARAMETER_CODES,
    ...ESS_NOT_FOUND_CODES,
    "IdempotentParameterMismatch",
];
