// What a refused request gets: the protocol endpoints' 429, the authorization endpoint's
// page, and the one message the sign-in and sign-up forms show.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isTooManyAttemptsMessage, tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";

// lib/server/metrics.ts reads the configuration when it loads: keep it off the repo's data folder.
process.env.LATCHKEY_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "latchkey-rate-limit-responses-"));
process.env.AUTH_SECRET ??= "rate-limit-responses-secret-0123456789abcdef";
const { tooManyRequests, tooManyRequestsPage } = await import("@/lib/server/rate-limits");
const { clientIp } = await import("@/lib/server/client-ip");

describe("refusals", () => {
  it("protocol endpoints answer 429 in the OAuth error shape, uncached, with Retry-After", () => {
    const res = tooManyRequests(42);
    expect(res.status).toBe(429);
    expect(res.headers).toEqual({ "Retry-After": "42", "Content-Type": "application/json", "Cache-Control": "no-store" });
    expect(JSON.parse(res.body)).toEqual({ error: "too_many_requests", error_description: expect.stringContaining("42 seconds") });
  });

  it("the authorization endpoint answers a page saying how long to wait, never a redirect", () => {
    const res = tooManyRequestsPage(61);
    expect(res.status).toBe(429);
    expect(res.headers["Retry-After"]).toBe("61");
    expect(res.headers["Content-Type"]).toBe("text/html; charset=utf-8");
    expect(res.headers).not.toHaveProperty("Location");
    expect(res.body).toContain("Wait 2 minutes");
  });

  it("forms say how many minutes to wait, rounded up, and recognise only that message", () => {
    expect(tooManyAttemptsMessage(1)).toBe("Too many attempts. Try again in 1 minute.");
    expect(tooManyAttemptsMessage(900)).toBe("Too many attempts. Try again in 15 minutes.");
    expect(tooManyAttemptsMessage(901)).toBe("Too many attempts. Try again in 16 minutes.");
    expect(isTooManyAttemptsMessage(tooManyAttemptsMessage(86_400))).toBe(true);
    for (const other of ["CredentialsSignin", "Invalid `prisma.user.findUnique()` invocation", "", null, undefined]) {
      expect(isTooManyAttemptsMessage(other)).toBe(false);
    }
  });

  it("reads the client address the front door set, from Web or next-auth headers, else 'unknown'", () => {
    expect(clientIp(new Headers({ "x-latchkey-client-ip": "203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientIp({ "x-latchkey-client-ip": "2001:db8::1" })).toBe("2001:db8::1");
    expect(clientIp(new Headers())).toBe("unknown");
    expect(clientIp({})).toBe("unknown");
    expect(clientIp(undefined)).toBe("unknown");
  });
});
