/** What the user sees for a user code that cannot be used. */
export function userCodeProblem(reason: "unknown" | "expired" | "decided"): string {
  switch (reason) {
    case "unknown":
      return "That code is not valid. Check the code shown on your device and try again.";
    case "expired":
      return "That code has expired. Start again on your device to get a new one.";
    case "decided":
      return "That code was already used. Start again on your device if it is still waiting.";
  }
}
