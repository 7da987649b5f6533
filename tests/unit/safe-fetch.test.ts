// The SSRF-safe fetch against a local https server, with name resolution injected so that
// "public" names can point anywhere without a network.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { safeFetchJson, SafeFetchError, specialAddressKind, type ResolvedAddress } from "@/lib/server/safe-fetch";
import { startHttpsServer, type HttpsTestServer } from "../integration/helpers/https-server";

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
const seen: { path: string; host: string | undefined; servername: string | false }[] = [];
let server: HttpsTestServer;
let ca: Buffer;
let origin: string;

const json = (body: unknown, headers: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const redirect = (location: string): Route => (_req, res) => {
  res.writeHead(302, { location });
  res.end();
};

beforeAll(async () => {
  server = await startHttpsServer(
    (req, res) => {
      seen.push({ path: req.url!, host: req.headers.host, servername: (req.socket as TLSSocket & { servername: string | false }).servername });
      const route = routes.get(req.url!);
      if (route) route(req, res);
      else res.writeHead(404).end();
    },
    { dnsNames: ["docs.example.test", "hop.example.test"] },
  );
  ca = readFileSync(server.certPath);
  origin = server.url;
});
afterAll(() => server?.close());
beforeEach(() => {
  routes.clear();
  seen.length = 0;
});

/** A resolver answering from a table, counting calls. */
function resolver(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, calls };
}

async function refusal(promise: Promise<unknown>): Promise<SafeFetchError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SafeFetchError) return err;
    throw err;
  }
  throw new Error("the fetch was not refused");
}

describe("special-purpose addresses (RFC 6890)", () => {
  it.each([
    ["127.0.0.1", "a loopback"],
    ["127.255.0.9", "a loopback"],
    ["::1", "a loopback"],
    ["::ffff:127.0.0.1", "a loopback"],
    ["::ffff:7f00:1", "a loopback"],
    ["10.0.0.1", "a private"],
    ["172.16.5.4", "a private"],
    ["172.31.255.255", "a private"],
    ["192.168.1.1", "a private"],
    ["fd12:3456::1", "a private"],
    ["fc00::1", "a private"],
    ["::ffff:10.0.0.1", "a private"],
    ["169.254.169.254", "a link-local"],
    ["fe80::1", "a link-local"],
    ["100.64.0.1", "a carrier-grade NAT"],
    ["100.127.255.254", "a carrier-grade NAT"],
    ["0.0.0.0", "an unspecified"],
    ["::", "an unspecified"],
    ["224.0.0.251", "a multicast"],
    ["ff02::1", "a multicast"],
    ["255.255.255.255", "a broadcast"],
    ["192.0.2.10", "a documentation"],
    ["198.51.100.7", "a documentation"],
    ["203.0.113.9", "a documentation"],
    ["2001:db8::1", "a documentation"],
    ["198.18.0.1", "a reserved"],
    ["240.0.0.1", "a reserved"],
    ["64:ff9b::a00:1", "a reserved"],
    ["2002:a00:1::1", "a reserved"],
    ["2001:0:4136:e378::1", "a reserved"],
  ])("%s is %s address", (address, kind) => {
    expect(specialAddressKind(address)).toBe(kind);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1"])(
    "%s is public",
    (address) => expect(specialAddressKind(address)).toBeNull(),
  );
});

describe("safeFetchJson", () => {
  it("returns the document and its caching headers", async () => {
    routes.set("/doc.json", json({ ok: true }, { "cache-control": "max-age=600", expires: "Mon, 30 Nov 2026 14:00:00 GMT" }));
    const result = await safeFetchJson(`${origin}/doc.json`, { allowLoopback: true, ca });
    expect(result).toMatchObject({ url: `${origin}/doc.json`, json: { ok: true }, cacheControl: "max-age=600", expires: "Mon, 30 Nov 2026 14:00:00 GMT" });
  });

  it("refuses loopback without the development switch, before connecting", async () => {
    routes.set("/doc.json", json({ ok: true }));
    const err = await refusal(safeFetchJson(`${origin}/doc.json`, { ca }));
    expect(err.refusal).toBe("forbidden_address");
    expect(err.message).toBe(`127.0.0.1:${server.port} is a loopback address`);
    expect(seen).toHaveLength(0);
  });

  it("refuses a public-looking name that resolves to 127.0.0.1, without a request", async () => {
    const { resolve } = resolver({ "docs.example.test": ["127.0.0.1"] });
    const err = await refusal(safeFetchJson(`https://docs.example.test:${server.port}/doc.json`, { resolve, ca }));
    expect(err.message).toBe("docs.example.test resolves to a loopback address");
    expect(seen).toHaveLength(0);
  });

  it("refuses a name when any one of its addresses is private", async () => {
    const { resolve } = resolver({ "docs.example.test": ["93.184.215.14", "10.0.0.1"] });
    const err = await refusal(safeFetchJson("https://docs.example.test/doc.json", { resolve }));
    expect(err.message).toBe("docs.example.test resolves to a private address");
  });

  it.each([
    ["https://10.255.255.1/doc.json", "10.255.255.1 is a private address"],
    ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
    ["https://[::ffff:a9fe:a9fe]/doc.json", "[::ffff:a9fe:a9fe] is a link-local address (169.254.169.254)"],
    ["https://[fd00::1]/doc.json", "[fd00::1] is a private address"],
    ["https://100.64.1.1/doc.json", "100.64.1.1 is a carrier-grade NAT address"],
  ])("refuses %s at once, even with the loopback switch", async (url, message) => {
    const started = Date.now();
    const err = await refusal(safeFetchJson(url, { allowLoopback: true }));
    expect(err.message).toBe(message);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("refuses names resolving to IPv4-mapped private addresses", async () => {
    const { resolve } = resolver({ "docs.example.test": ["::ffff:192.168.0.10"] });
    const err = await refusal(safeFetchJson("https://docs.example.test/doc.json", { resolve, allowLoopback: true }));
    expect(err.message).toBe("docs.example.test resolves to a private address");
  });

  it("connects to the address it checked, with the name as Host and SNI (DNS rebinding cannot switch it)", async () => {
    routes.set("/doc.json", json({ ok: true }));
    let answers = 0;
    // A rebinding resolver: the vetted answer first, a private address on every later lookup.
    const resolve = async (): Promise<ResolvedAddress[]> => [{ address: answers++ === 0 ? "127.0.0.1" : "10.0.0.1", family: 4 }];
    const result = await safeFetchJson(`https://docs.example.test:${server.port}/doc.json`, { resolve, allowLoopback: true, ca });
    expect(result.json).toEqual({ ok: true });
    expect(answers).toBe(1);
    expect(seen).toEqual([{ path: "/doc.json", host: `docs.example.test:${server.port}`, servername: "docs.example.test" }]);
  });

  it("refuses non-https URLs", async () => {
    const err = await refusal(safeFetchJson("http://app.example/doc.json"));
    expect(err.refusal).toBe("not_https");
  });

  it("reports names that do not resolve", async () => {
    const { resolve } = resolver({});
    const err = await refusal(safeFetchJson("https://nowhere.example.test/doc.json", { resolve }));
    expect(err.message).toBe("nowhere.example.test could not be resolved (ENOTFOUND)");
  });

  describe("redirects", () => {
    const table = { "docs.example.test": ["127.0.0.1"], "hop.example.test": ["127.0.0.1"], "internal.example.test": ["10.0.0.7"], "metadata.example.test": ["169.254.169.254"] };

    it("follows up to 3, checking every target", async () => {
      routes.set("/a", redirect(`https://hop.example.test:${server.port}/b`));
      routes.set("/b", redirect("/c"));
      routes.set("/c", redirect(`https://docs.example.test:${server.port}/d`));
      routes.set("/d", json({ at: "d" }));
      const { resolve, calls } = resolver(table);
      const result = await safeFetchJson(`https://docs.example.test:${server.port}/a`, { resolve, allowLoopback: true, ca });
      expect(result).toMatchObject({ url: `https://docs.example.test:${server.port}/d`, json: { at: "d" } });
      expect(calls).toEqual(["docs.example.test", "hop.example.test", "hop.example.test", "docs.example.test"]);
    });

    it("refuses a fourth", async () => {
      for (const [from, to] of [["/1", "/2"], ["/2", "/3"], ["/3", "/4"], ["/4", "/5"]]) routes.set(from!, redirect(to!));
      routes.set("/5", json({}));
      const err = await refusal(safeFetchJson(`${origin}/1`, { allowLoopback: true, ca }));
      expect(err.message).toBe(`${origin}/1 redirected more than 3 times`);
      expect(seen.map((s) => s.path)).toEqual(["/1", "/2", "/3", "/4"]);
    });

    it.each([
      ["internal.example.test", "internal.example.test resolves to a private address"],
      ["metadata.example.test", "metadata.example.test resolves to a link-local address"],
    ])("refuses a redirect to %s (the loopback switch allows loopback only)", async (host, reason) => {
      routes.set("/a", redirect(`https://${host}/doc.json`));
      const { resolve } = resolver(table);
      const err = await refusal(safeFetchJson(`https://docs.example.test:${server.port}/a`, { resolve, allowLoopback: true, ca }));
      expect(err.refusal).toBe("forbidden_address");
      expect(err.message).toBe(`https://docs.example.test:${server.port}/a redirected to https://${host}/doc.json, which is refused: ${reason}`);
    });

    it("refuses a redirect to a private IP literal and to plain http", async () => {
      routes.set("/a", redirect("https://10.1.2.3/doc.json"));
      routes.set("/b", redirect(`http://127.0.0.1:${server.port}/doc.json`));
      expect((await refusal(safeFetchJson(`${origin}/a`, { allowLoopback: true, ca }))).message).toContain(
        "redirected to https://10.1.2.3/doc.json, which is refused: 10.1.2.3 is a private address",
      );
      expect((await refusal(safeFetchJson(`${origin}/b`, { allowLoopback: true, ca }))).refusal).toBe("not_https");
    });

    it("refuses any redirect when maxRedirects is 0", async () => {
      routes.set("/a", redirect("/doc.json"));
      routes.set("/doc.json", json({}));
      const err = await refusal(safeFetchJson(`${origin}/a`, { allowLoopback: true, ca, maxRedirects: 0 }));
      expect(err.message).toBe(`${origin}/a redirected to ${origin}/doc.json; redirects are not followed`);
      expect(seen.map((s) => s.path)).toEqual(["/a"]);
    });
  });

  describe("responses", () => {
    it("refuses a body over 5 KiB, announced or streamed", async () => {
      const big = { padding: "x".repeat(6000) };
      routes.set("/announced", json(big));
      routes.set("/streamed", (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"padding":"');
        const timer = setInterval(() => res.write("x".repeat(1000)), 5);
        res.on("close", () => clearInterval(timer));
      });
      for (const path of ["/announced", "/streamed"]) {
        const err = await refusal(safeFetchJson(`${origin}${path}`, { allowLoopback: true, ca }));
        expect(err.message).toBe(`${origin}${path} is larger than 5120 bytes`);
      }
    });

    it("accepts exactly 5 KiB", async () => {
      routes.set("/edge", json({ p: "x".repeat(5120 - 8) }));
      expect((await safeFetchJson(`${origin}/edge`, { allowLoopback: true, ca })).json).toEqual({ p: "x".repeat(5112) });
    });

    it("gives up after the total timeout", async () => {
      routes.set("/slow", () => {
        // never answers
      });
      const started = Date.now();
      const err = await refusal(safeFetchJson(`${origin}/slow`, { allowLoopback: true, ca, timeoutMs: 300 }));
      expect(err.refusal).toBe("timeout");
      expect(err.message).toBe(`${origin}/slow took longer than 0.3 s`);
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it("requires 200, a JSON content type and valid JSON", async () => {
      routes.set("/html", (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("{}"));
      routes.set("/typed", (_req, res) => res.writeHead(200, { "content-type": "application/example+json; charset=utf-8" }).end("{}"));
      routes.set("/broken", (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{"));
      const at = (p: string) => safeFetchJson(`${origin}${p}`, { allowLoopback: true, ca });
      expect((await refusal(at("/missing"))).message).toBe(`${origin}/missing answered 404, not 200`);
      expect((await refusal(at("/html"))).message).toBe(`${origin}/html is served as text/html, not application/json`);
      expect((await at("/typed")).json).toEqual({});
      expect((await refusal(at("/broken"))).message).toBe(`${origin}/broken is not valid JSON`);
    });
  });
});
