import type { Metadata } from "next";
import { CodeSample } from "@/components/docs/code-sample";
import { JsonBlock } from "@/components/docs/json-block";
import { Callout, Prose } from "@/components/docs/prose";
import { CopyButton } from "@/components/ui/copy-button";
import { getDiscovery } from "@/lib/docs/discovery";

export const metadata: Metadata = { title: "Protect an MCP server" };
export const dynamic = "force-dynamic";

const MCP_URL = "https://mcp.example.com/mcp";

function helperCode(issuer: string): string {
  return `import { createServer } from "node:http";
import {
  authenticateRequest, createAccessTokenVerifier, metadataAnswer,
  protectedResourceMetadata, protectedResourceMetadataUrl, sendAnswer,
} from "./resource-server"; // a copy of lib/resource-server (needs only jose)

const issuer = "${issuer}";
const resource = "${MCP_URL}"; // the API's identifier

const verifier = createAccessTokenVerifier({ issuer, audience: resource });
const metadata = metadataAnswer(protectedResourceMetadata({
  resource, authorizationServers: [issuer], scopesSupported: ["notes:read"],
}));
const metadataPath = new URL(protectedResourceMetadataUrl(resource)).pathname;
// → /.well-known/oauth-protected-resource/mcp

createServer(async (req, res) => {
  if (req.method === "GET" && req.url === metadataPath) return sendAnswer(res, metadata);
  // 401 with WWW-Authenticate: Bearer resource_metadata="…" unless the token's aud is this server
  const token = await authenticateRequest(verifier, req, res);
  if (!token) return;
  // token.subject, token.clientId, token.scopes: hand the request to your MCP transport.
  // A tool that needs more: send insufficientScope({ resourceMetadata: verifier.resourceMetadata,
  // scope: ["notes:read"] }), a 403 the client answers by asking for that scope.
}).listen(3001);`;
}

const RUN_EXAMPLE = `# 1. Latchkey on http://localhost:3000, open to dynamic registration
LATCHKEY_REGISTRATION=open npm start

# 2. Register the example server as an API
npm run latchkey -- apis create --identifier http://localhost:3001/mcp \\
  --name "Example MCP server" --scopes "notes:read"

# 3. Start it (tools: whoami, and notes, which needs notes:read)
LATCHKEY_ISSUER=http://localhost:3000 PORT=3001 npx tsx examples/mcp-server/main.ts

# 4. Point an MCP client at http://localhost:3001/mcp`;

function Shell({ title, code }: { title: string; code: string }) {
  return (
    <figure className="my-4 overflow-hidden rounded-lg border border-slate-800 bg-slate-900 text-slate-100">
      <div className="flex items-center border-b border-slate-700 px-2 py-1.5">
        <figcaption className="px-2 text-xs text-slate-400">{title}</figcaption>
        <CopyButton value={code} label="Copy commands" className="ml-auto border-slate-600 bg-slate-800 text-slate-100 hover:bg-slate-700" />
      </div>
      <pre tabIndex={0} aria-label={title} className="overflow-x-auto p-4 text-[13px] leading-relaxed"><code>{code}</code></pre>
    </figure>
  );
}

export default async function McpPage() {
  const discovery = await getDiscovery();
  const issuer = discovery.issuer;
  const metadataDocuments = discovery.client_id_metadata_document_supported === true;
  const registration = typeof discovery.registration_endpoint === "string" ? discovery.registration_endpoint : null;
  return (
    <Prose>
      <h1>Protect an MCP server with Latchkey</h1>
      <p>
        In the MCP authorization spec your MCP server is an OAuth resource server and Latchkey is its authorization
        server. MCP clients find Latchkey on their own, identify themselves without a developer registering them, and
        get access tokens that only your server accepts. You do two things: register the server as an API, and check
        tokens in it.
      </p>

      <h2>1. Register the MCP server as an API</h2>
      <Shell
        title="Admin command line"
        code={`npm run latchkey -- apis create --identifier ${MCP_URL} \\\n  --name "My MCP server" --scopes "notes:read"`}
      />
      <p>
        The identifier is the server&apos;s canonical URL, exactly as clients connect to it. Clients send it as the{" "}
        <code>resource</code> parameter (RFC 8707) and Latchkey puts it in the access token&apos;s <code>aud</code>. A
        token request for a resource nobody registered gets <code>invalid_target</code>. Scopes missing from the catalog
        are added to it.
      </p>

      <h2>2. Check tokens in the MCP server</h2>
      <p>
        The server publishes protected resource metadata (RFC 9728) naming Latchkey, answers requests without a valid
        token with <code>401</code> and <code>WWW-Authenticate: Bearer resource_metadata=&quot;…&quot;</code>, and accepts
        only tokens whose <code>aud</code> contains its own URL. Latchkey&apos;s <code>lib/resource-server</code> does all
        three with <code>jose</code> and nothing else: copy the folder.
      </p>
      <CodeSample title="A resource server on node:http" samples={[{ label: "JavaScript", code: helperCode(issuer) }]} />
      <JsonBlock
        label={`GET https://mcp.example.com/.well-known/oauth-protected-resource/mcp`}
        value={{ resource: MCP_URL, authorization_servers: [issuer], bearer_methods_supported: ["header"], scopes_supported: ["notes:read"] }}
      />
      <Callout title="Revocation">
        <p>
          The helper checks tokens locally (signature from <code>{discovery.jwks_uri}</code>, <code>typ</code>{" "}
          <code>at+jwt</code>, issuer, audience, expiry, scopes), so a revoked token works until it expires. Where that
          matters, ask the introspection endpoint instead or keep access tokens short: an API&apos;s own token lifetime
          can be set with <code>--access-token-ttl</code>.
        </p>
      </Callout>

      <h2>What the MCP client does</h2>
      <ol>
        <li>Calls the MCP server, gets the 401 and reads the metadata URL from <code>WWW-Authenticate</code>.</li>
        <li>
          Reads the metadata, then Latchkey&apos;s own at <code>{issuer}/.well-known/oauth-authorization-server</code>.
        </li>
        <li>
          Identifies itself with a client ID metadata document: its <code>client_id</code> is an https URL that Latchkey
          fetches ({metadataDocuments ? "on for this server" : "off on this server"}). Otherwise it registers itself at the
          registration endpoint (RFC 7591;{" "}
          {registration ? <>open here: <code>{registration}</code></> : <>off on this server: set <code>LATCHKEY_REGISTRATION</code></>}), or
          uses a client ID a developer created in the portal.
        </li>
        <li>
          Runs the authorization code flow with PKCE (<code>S256</code>) and <code>resource={MCP_URL}</code> on both the
          authorization and the token request. The person signs in and approves on Latchkey&apos;s consent screen.
        </li>
        <li>Calls the MCP server with the access token, and refreshes it with the same <code>resource</code>.</li>
        <li>
          On <code>403 insufficient_scope</code>, asks again for the scopes named in the challenge&apos;s{" "}
          <code>scope</code> (step-up).
        </li>
      </ol>

      <h2>Run the example</h2>
      <p>
        <code>examples/mcp-server</code> is an MCP server built with the official TypeScript SDK and protected this way.
      </p>
      <Shell title="From a Latchkey checkout" code={RUN_EXAMPLE} />
      <p>
        <code>tests/integration/mcp-sdk.test.ts</code> is a complete client with the official SDK, both with a metadata
        document and with dynamic registration.
      </p>
    </Prose>
  );
}
