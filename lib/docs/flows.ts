import type { DiscoveryDocument } from "./discovery";

export interface FlowRow {
  slug: string;
  name: string;
  userResources: boolean;
  secret: "yes" | "no" | "confidential";
  refreshable: boolean;
  status: "recommended" | "supported" | "deprecated" | "legacy";
  useWhen: string;
}

/** The flows this server actually offers, derived from its discovery document. */
export function supportedFlows(d: DiscoveryDocument): FlowRow[] {
  const grants = new Set(d.grant_types_supported);
  const responses = new Set(d.response_types_supported);
  const refresh = grants.has("refresh_token");
  const rows: FlowRow[] = [];
  if (grants.has("authorization_code") && responses.has("code")) {
    rows.push({
      slug: "authorization-code",
      name: "Authorization code",
      userResources: true,
      secret: "yes",
      refreshable: refresh,
      status: "recommended",
      useWhen: "Your app has a server that can keep a secret.",
    });
    if (d.code_challenge_methods_supported.includes("S256")) {
      rows.push({
        slug: "pkce",
        name: "Authorization code with PKCE",
        userResources: true,
        secret: "no",
        refreshable: refresh,
        status: "recommended",
        useWhen: "Browser, mobile or desktop apps; also a good extra for server apps.",
      });
    }
  }
  if (grants.has("client_credentials")) {
    rows.push({
      slug: "client-credentials",
      name: "Client credentials",
      userResources: false,
      secret: "yes",
      refreshable: false,
      status: "supported",
      useWhen: "A backend service calls an API for itself, with no user involved.",
    });
  }
  if (grants.has("urn:ietf:params:oauth:grant-type:device_code")) {
    rows.push({
      slug: "device",
      name: "Device authorization",
      userResources: true,
      secret: "no",
      refreshable: refresh,
      status: "supported",
      useWhen: "Command-line tools, TVs and agents without a browser: the person approves on another device.",
    });
  }
  if (grants.has("implicit") && responses.has("token")) {
    rows.push({
      slug: "implicit",
      name: "Implicit",
      userResources: true,
      secret: "no",
      refreshable: false,
      status: "deprecated",
      useWhen: "Never for new apps. Use PKCE instead.",
    });
  }
  if (grants.has("password")) {
    rows.push({
      slug: "password",
      name: "Resource owner password",
      userResources: true,
      secret: "confidential",
      refreshable: refresh,
      status: "legacy",
      useWhen: "Only for migrating a first-party legacy app; enabled by an administrator.",
    });
  }
  return rows;
}
