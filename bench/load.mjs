// One load run with autocannon, in its own process (the runner pins it away from the
// server). Argument: a JSON file { url, method, headers, body, bodies?, connections,
// duration?, bearer? }. With `bodies` (a JSON file of request bodies, or of bearer tokens
// with `bearer`), each is sent exactly once and the run ends when they are used up.
// Prints the result as JSON.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const bodies = config.bodies ? JSON.parse(readFileSync(config.bodies, "utf8")) : null;
let next = 0;
const request = { method: config.method, path: new URL(config.url).pathname, headers: config.headers };
if (config.body !== undefined) request.body = config.body;
// With `bearer`, each entry of `bodies` is an access token for the Authorization header.
if (bodies && config.bearer) {
  request.setupRequest = (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${bodies[next++ % bodies.length]}` } });
} else if (bodies) {
  request.setupRequest = (req) => ({ ...req, body: bodies[next++ % bodies.length] });
}

const started = process.hrtime.bigint();
let lastResponse = started;
const instance = autocannon({
  url: new URL(config.url).origin,
  connections: config.connections,
  pipelining: 1,
  ...(bodies ? { amount: bodies.length } : { duration: config.duration }),
  requests: [request],
});
// The rate is over the time to the last response: autocannon notices that a fixed
// amount is done only on its next one-second tick, which would add up to ~1 s.
instance.on("response", () => {
  lastResponse = process.hrtime.bigint();
});
const result = await instance;
const seconds = Number(lastResponse - started) / 1e9;
const completed = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
console.log(
  JSON.stringify({
    requests: completed,
    ok: result["2xx"],
    seconds,
    rps: completed / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  }),
);
