import { describe, expect, it } from "vitest";
import { keyStates, type KeyTimes } from "@/lib/oauth/key-schedule";

const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function key(kid: string, alg: string, status: string, activatedAt: number | null, createdAt = 0): KeyTimes {
  return { kid, alg, status, createdAt: at(createdAt), activatedAt: activatedAt === null ? null : at(activatedAt), retiredAt: null };
}

const statusAt = (rows: KeyTimes[], seconds: number) =>
  Object.fromEntries([...keyStates(rows, at(seconds))].map(([kid, s]) => [kid, s.status]));

describe("key schedule (which key signs, from the stored timestamps)", () => {
  const rows = [
    key("rs-old", "RS256", "active", 0),
    key("es-old", "ES256", "active", 0),
    key("rs-new", "RS256", "next", 600, 10),
    key("es-new", "ES256", "next", 600, 10),
  ];

  it("a next key is published but does not sign before its activation time", () => {
    expect(statusAt(rows, 599)).toEqual({ "rs-old": "active", "es-old": "active", "rs-new": "next", "es-new": "next" });
  });

  it("at its activation time it signs, and the key it replaces retires from that moment", () => {
    expect(statusAt(rows, 600)).toEqual({ "rs-old": "retired", "es-old": "retired", "rs-new": "active", "es-new": "active" });
    // Whenever an instance looks, the retirement time is the successor's activation time.
    expect(keyStates(rows, at(5000)).get("rs-old")!.retiredAt).toEqual(at(600));
  });

  it("keeps one active key per algorithm", () => {
    const mixed = [...rows, key("es-later", "ES256", "next", 1200, 20)];
    expect(statusAt(mixed, 900)).toMatchObject({ "es-new": "active", "es-later": "next", "rs-new": "active" });
    expect(statusAt(mixed, 1200)).toMatchObject({ "es-new": "retired", "es-later": "active", "rs-new": "active" });
  });

  it("leaves keys stored as retired retired", () => {
    const retired = { ...key("es-gone", "ES256", "retired", 0), retiredAt: at(50) };
    expect(keyStates([retired, key("es-now", "ES256", "active", 50)], at(100)).get("es-gone")).toEqual({ status: "retired", retiredAt: at(50) });
  });
});
