// The client address travels from the front door to Next's handlers (sign-in, sign-up,
// the authorization endpoint) in one request header, which the front door always sets,
// replacing anything a client sent under that name.
export const CLIENT_IP_HEADER = "x-latchkey-client-ip";

/** The client address the front door put on the request, or "unknown". */
export function clientIp(headers: { get(name: string): string | null } | Record<string, unknown> | undefined): string {
  const value =
    headers === undefined
      ? undefined
      : typeof headers.get === "function"
        ? (headers as { get(name: string): string | null }).get(CLIENT_IP_HEADER)
        : (headers as Record<string, unknown>)[CLIENT_IP_HEADER];
  return typeof value === "string" && value !== "" ? value : "unknown";
}
