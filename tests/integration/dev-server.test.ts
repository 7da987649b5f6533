// `npm run dev` goes through the same front door as `npm start`.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({}, { dev: true });
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe("npm run dev", () => {
  it("serves the machine endpoints from the endpoint table, with the same headers and errors", async () => {
    const discovery = await fetch(`${server.issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get("x-content-type-options")).toBe("nosniff");
    const token = await fetch(`${server.issuer}/oauth/token`, { method: "PUT" });
    expect(token.status).toBe(405);
    expect(token.headers.get("allow")).toContain("POST");
  });

  it("serves pages through the front door, with a nonce on every script", async () => {
    const res = await fetch(`${server.issuer}/signin`);
    expect(res.status).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  }, 120_000);

  it("passes hot reload's WebSocket upgrade through to Next in the page worker", async () => {
    expect((await fetch(`${server.issuer}/signin`)).status).toBe(200);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.issuer}/_next/hmr?id=test`, {
        headers: {
          origin: server.issuer,
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          "sec-websocket-version": "13",
        },
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(101);
  }, 120_000);
});
