import { describe, expect, it } from "vitest";
import { validateClientMetadata } from "@/lib/oauth/registration";

const CATALOG = [{ name: "openid", restricted: false }];
const base = { redirect_uris: ["https://rp.example.test/cb"], scope: "openid" };

describe("id_token_signed_response_alg in dynamic registration (OIDC Registration §2)", () => {
  it("accepts RS256 and ES256 and returns the choice in the metadata", () => {
    expect(validateClientMetadata({ ...base, id_token_signed_response_alg: "ES256" }, CATALOG).id_token_signed_response_alg).toBe("ES256");
    expect(validateClientMetadata({ ...base, id_token_signed_response_alg: "RS256" }, CATALOG).id_token_signed_response_alg).toBe("RS256");
  });

  it("leaves it out when not sent: the server default (RS256) applies", () => {
    expect(validateClientMetadata(base, CATALOG)).not.toHaveProperty("id_token_signed_response_alg");
  });

  it("refuses algorithms we cannot sign with, unsigned tokens included, as invalid_client_metadata", () => {
    for (const alg of ["none", "HS256", "EdDSA", 256]) {
      expect(() => validateClientMetadata({ ...base, id_token_signed_response_alg: alg }, CATALOG)).toThrow(
        expect.objectContaining({ error: "invalid_client_metadata" }),
      );
    }
  });
});
