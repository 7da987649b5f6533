// An https server on 127.0.0.1 with a throwaway self-signed certificate (made with openssl),
// for tests where Latchkey fetches something over https (client ID metadata documents, MCP
// resources). Start Latchkey with NODE_EXTRA_CA_CERTS=<certPath> so it trusts the certificate.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface HttpsTestServer {
  /** https://127.0.0.1:<port> (no trailing slash). */
  url: string;
  port: number;
  /** The self-signed certificate (PEM): pass it as NODE_EXTRA_CA_CERTS, or as a `ca` option. */
  certPath: string;
  close: () => Promise<void>;
}

export interface HttpsServerOptions {
  /** Extra DNS names the certificate is valid for (127.0.0.1 and localhost always are). */
  dnsNames?: string[];
}

interface Certificate {
  dir: string;
  certPath: string;
  keyPath: string;
}

const certificates = new Map<string, Certificate>();
process.once("exit", () => {
  for (const c of certificates.values()) rmSync(c.dir, { recursive: true, force: true });
});

/** One certificate per set of names per process (openssl is slow-ish on two shared cores). */
function certificate(dnsNames: string[]): Certificate {
  const names = ["localhost", ...dnsNames.filter((n) => n !== "localhost")];
  const key = names.join(",");
  const existing = certificates.get(key);
  if (existing) return existing;
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-https-"));
  const certPath = path.join(dir, "cert.pem");
  const keyPath = path.join(dir, "key.pem");
  const subjectAltName = ["IP:127.0.0.1", ...names.map((n) => `DNS:${n}`)].join(",");
  execFileSync(
    "/usr/bin/openssl",
    [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=localhost",
      "-addext", `subjectAltName=${subjectAltName}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const made = { dir, certPath, keyPath };
  certificates.set(key, made);
  return made;
}

export async function startHttpsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: HttpsServerOptions = {},
): Promise<HttpsTestServer> {
  const { certPath, keyPath } = certificate(options.dnsNames ?? []);
  const server = https.createServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    certPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
