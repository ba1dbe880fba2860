/**
 * Fault matrix, interruptions: `pulumi up` killed by SIGKILL (the CI runner's hard stop, an OOM kill) at each phase (see
 * faults/interrupts.ts and faults/matrix.ts).
 */
import { interruptRows } from "./faults/interrupts";
import { matrix } from "./faults/matrix";

jest.setTimeout(600_000);

matrix("interrupts-sigkill", interruptRows("SIGKILL"));
