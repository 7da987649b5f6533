// Every Prisma write to data that instances cache publishes an invalidation, so no
// data function can forget to: a client's settings, secrets and redirect URIs, the
// signing keys, the scope catalog, the APIs, the run-time settings.
import { publishInvalidation, type CacheTopic } from "./cache-bus";

const TOPIC_OF_MODEL: Partial<Record<string, CacheTopic>> = {
  Client: "clients",
  // Deleting a user deletes their apps.
  User: "clients",
  ClientSecret: "clients",
  RedirectUri: "clients",
  SigningKey: "keys",
  Scope: "scopes",
  Api: "apis",
  Setting: "settings",
};

const WRITES = new Set([
  "create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany",
]);

interface QueryHookInput {
  model?: string;
  operation: string;
  args: unknown;
  query: (args: unknown) => Promise<unknown>;
}

/** The `query` extension for `prisma.$extends(...)`. */
export const invalidateCachesOnWrite = {
  $allModels: {
    async $allOperations({ model, operation, args, query }: QueryHookInput) {
      const result = await query(args);
      const topic = model === undefined ? undefined : TOPIC_OF_MODEL[model];
      if (topic !== undefined && WRITES.has(operation)) await publishInvalidation(topic);
      return result;
    },
  },
};
