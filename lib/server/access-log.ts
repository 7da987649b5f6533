// One JSON line per request on stdout: what an operator needs to follow a request,
// never a secret, code, token or password (no query strings, no bodies, no headers).
// Lines are written in batches, one write per turn of the event loop.

export interface AccessLogEntry {
  id: string;
  method: string;
  route: string;
  status: number;
  ms: number;
  ip: string;
  clientId?: string | null;
}

let pending: string[] = [];
let scheduled = false;

function flush() {
  scheduled = false;
  const lines = pending;
  pending = [];
  process.stdout.write(lines.join(""));
}

export function logRequest(entry: AccessLogEntry): void {
  const line = { time: new Date().toISOString(), ...entry, ms: Math.round(entry.ms * 10) / 10 };
  if (line.clientId == null) delete line.clientId;
  pending.push(JSON.stringify(line) + "\n");
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
