-- Data only. A grant given before grants recorded APIs holds the APIs (RFC 8707 resources) of
-- the codes and refresh tokens issued under it (space-separated lists; a repeat is harmless).
UPDATE "Grant" SET "resources" = COALESCE((
  SELECT group_concat("resource", ' ') FROM (
    SELECT "resource" FROM "RefreshToken" WHERE "RefreshToken"."grantId" = "Grant"."id" AND "resource" <> ''
    UNION
    SELECT "resource" FROM "AuthorizationCode" WHERE "AuthorizationCode"."grantId" = "Grant"."id" AND "resource" <> ''
  )
), '')
WHERE "resources" = '';

-- An app suspended or revoked before this column existed: its tokens so far stay ended if it is reactivated.
UPDATE "Client" SET "tokensEndedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
WHERE "status" <> 'active' AND "tokensEndedAt" IS NULL;
