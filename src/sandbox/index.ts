/** The local cloud simulators, for tests and offline rehearsals of a deploy. */
export * as ess from "./ess";
export * as autoscaling from "./autoscaling";
