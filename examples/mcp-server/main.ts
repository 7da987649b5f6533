// npx tsx examples/mcp-server/main.ts — configured from the environment.
import { startMcpServer } from "./server";

const port = Number(process.env.PORT ?? 3001);
const issuer = process.env.LATCHKEY_ISSUER ?? "http://localhost:3000";
const url = process.env.MCP_SERVER_URL ?? `http://localhost:${port}/mcp`;

const server = await startMcpServer({ issuer, port, url, host: process.env.HOST });
console.log(`MCP server at ${server.url}`);
console.log(`  protected resource metadata: ${server.resourceMetadataUrl}`);
console.log(`  accepts access tokens from ${issuer} whose aud is ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
