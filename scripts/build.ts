// Generates the Prisma client and builds the app when the sources changed.
import { buildIfStale, generateClient } from "./prepare";

generateClient();
buildIfStale();
