import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safePostForm, SafeFetchError } from "@/lib/server/safe-fetch";

let server: Server;
let origin: string;
const bodies: { type: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      bodies.push({ type: req.headers["content-type"] ?? "", body: raw });
      res.writeHead(req.url === "/fail" ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(promise: Promise<unknown>): Promise<SafeFetchError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SafeFetchError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("safePostForm (back-channel logout deliveries)", () => {
  it("posts a form to a loopback receiver over http only when loopback is allowed", async () => {
    const form = new URLSearchParams({ logout_token: "a.b.c" });
    expect(await safePostForm(`${origin}/bc`, form, { allowLoopback: true })).toEqual({ status: 200 });
    expect(bodies.at(-1)).toEqual({ type: "application/x-www-form-urlencoded", body: "logout_token=a.b.c" });
    expect((await refusal(safePostForm(`${origin}/bc`, form))).refusal).toBe("not_https");
  });

  it("reports the receiver's status without treating it as delivered", async () => {
    expect((await safePostForm(`${origin}/fail`, new URLSearchParams(), { allowLoopback: true })).status).toBe(500);
  });

  it("refuses loopback, private and link-local addresses by default, and plain http elsewhere", async () => {
    const form = new URLSearchParams();
    expect((await refusal(safePostForm("https://127.0.0.1/bc", form))).refusal).toBe("forbidden_address");
    expect((await refusal(safePostForm("https://10.0.0.1/bc", form, { allowLoopback: true }))).refusal).toBe("forbidden_address");
    expect((await refusal(safePostForm("https://169.254.169.254/latest", form, { allowLoopback: true }))).refusal).toBe("forbidden_address");
    expect((await refusal(safePostForm("http://93.184.216.34/bc", form, { allowLoopback: true }))).refusal).toBe("not_https");
    const resolve = async () => [{ address: "192.168.1.5", family: 4 as const }];
    expect((await refusal(safePostForm("https://rp.example.test/bc", form, { resolve }))).message).toBe("rp.example.test resolves to a private address");
  });
});
