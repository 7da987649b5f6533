/** Why a revoked app's settings cannot be saved (the form says it; the action refuses with it). */
export const REVOKED_READ_ONLY = "An administrator revoked this app: its settings can no longer be changed. You can still delete it.";
