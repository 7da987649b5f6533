-- Data only. A grant given before grants recorded APIs holds the APIs (RFC 8707 resources) of
-- the codes and refresh tokens issued under it.
UPDATE "Grant" g SET "resources" = COALESCE((
  SELECT string_agg(DISTINCT r, ' ') FROM (
    SELECT unnest(string_to_array(t."resource", ' ')) AS r FROM "RefreshToken" t WHERE t."grantId" = g."id"
    UNION
    SELECT unnest(string_to_array(c."resource", ' ')) AS r FROM "AuthorizationCode" c WHERE c."grantId" = g."id"
  ) AS issued WHERE r <> ''
), '')
WHERE g."resources" = '';

-- An app suspended or revoked before this column existed: its tokens so far stay ended if it is reactivated.
UPDATE "Client" SET "tokensEndedAt" = now() AT TIME ZONE 'UTC'
WHERE "status" <> 'active' AND "tokensEndedAt" IS NULL;
