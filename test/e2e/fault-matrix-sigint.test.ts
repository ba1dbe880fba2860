/**
 * Fault matrix, interruptions: `pulumi up` interrupted by SIGINT (Ctrl-C, a cancelled CI job) at each phase (see
 * faults/interrupts.ts and faults/matrix.ts).
 */
import { interruptRows } from "./faults/interrupts";
import { matrix } from "./faults/matrix";

jest.setTimeout(600_000);

matrix("interrupts-sigint", interruptRows("SIGINT"));
