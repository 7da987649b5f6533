// RFC 8707 resource indicators: which registered APIs an access token is for.
import type { OAuthContext } from "./context";
import { InvalidTarget } from "./errors";
import type { ApiRecord } from "./store";

const MAX_RESOURCES = 10;

/**
 * The `resource` values of a request (the parameter may repeat, RFC 8707 §2), each a
 * registered API. RFC 8707 §2: an absolute URI without a fragment; anything else, or an
 * API this server does not know, is `invalid_target`.
 */
export async function resolveResources(ctx: OAuthContext, values: readonly string[]): Promise<ApiRecord[]> {
  const unique = [...new Set(values)];
  if (unique.length > MAX_RESOURCES) throw new InvalidTarget(`At most ${MAX_RESOURCES} resource values are allowed`);
  const apis: ApiRecord[] = [];
  for (const value of unique) {
    if (!URL.canParse(value) || value.includes("#")) {
      throw new InvalidTarget("resource must be an absolute URI without a fragment");
    }
    let api = null;
    for (const candidate of spellings(value)) {
      api = await ctx.store.getApi(candidate);
      if (api !== null) break;
    }
    if (api === null) throw new InvalidTarget(`Unknown resource ${value}`);
    apis.push(api);
  }
  return apis;
}

/**
 * The spellings of one resource URI, as sent first: APIs are registered in the URL parser's
 * form (lower-case host, no default port), and `https://mcp.example.com` and
 * `https://mcp.example.com/` name the same resource (MCP recommends the form without the
 * slash, URL parsers produce the one with it).
 */
export function spellings(value: string): string[] {
  const href = new URL(value).href;
  const url = new URL(href);
  const forms = [value, href];
  if (url.pathname === "/" && url.search === "") forms.push(href.slice(0, -1));
  return [...new Set(forms)];
}

/** The requested resources, which must all be among `granted` (RFC 8707 §2.2: narrow, never widen). */
export function narrowResources(granted: readonly string[], requested: readonly ApiRecord[]): void {
  if (granted.length === 0 && requested.length > 0) {
    // The user consented to the default audience only; an API must be named where they see it.
    throw new InvalidTarget("The authorization named no resource: name the API in the authorization request, where the user sees it");
  }
  const outside = requested.filter((api) => !granted.includes(api.identifier));
  if (outside.length > 0) {
    throw new InvalidTarget(`The resource was not part of the grant: ${outside.map((a) => a.identifier).join(" ")}`);
  }
}

/** The `aud` claim for `apis`: their identifiers, or the default audience without any. */
export function audienceFor(ctx: OAuthContext, apis: readonly ApiRecord[]): string | string[] {
  if (apis.length === 0) return ctx.config.audience;
  return apis.length === 1 ? apis[0]!.identifier : apis.map((a) => a.identifier);
}

/** The access-token lifetime for `apis`: the shortest one an API sets, else the server's. */
export function accessTokenTtlFor(ctx: OAuthContext, apis: readonly ApiRecord[]): number {
  const ttls = apis.map((a) => a.accessTokenTtl).filter((t): t is number => t !== null);
  return ttls.length === 0 ? ctx.config.accessTokenTtl : Math.min(...ttls);
}

/** Whether a token's `aud` claim names `audience`. */
export function audienceIncludes(aud: string | string[], audience: string): boolean {
  return Array.isArray(aud) ? aud.includes(audience) : aud === audience;
}
