import { describe, expect, test } from "vitest";
import { inspectLogo, sniffImageType } from "@/lib/validation/logo";
import { png, SVG } from "../e2e/helpers/images";

describe("uploaded logos are judged by their bytes", () => {
  test("a PNG is accepted with its real dimensions", () => {
    expect(inspectLogo(png(64, 48))).toEqual({ logo: { contentType: "image/png", width: 64, height: 48 } });
  });

  test("JPEG and WebP are recognised from their magic numbers, not from a name or a declared type", () => {
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("image/jpeg");
    expect(sniffImageType(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("GIF89a"))).toBeNull();
  });

  test("SVG is refused with a reason", () => {
    expect(inspectLogo(SVG)).toEqual({ problem: expect.stringContaining("SVG logos are not accepted") });
  });

  test("a file over 256 KB is refused before it is parsed", () => {
    expect(inspectLogo(png(64, 64, 300_000))).toEqual({ problem: expect.stringContaining("the limit is 256 KB") });
  });

  test("images smaller than 16 px or larger than 1024 px on a side are refused", () => {
    expect(inspectLogo(png(8, 64))).toEqual({ problem: expect.stringContaining("between 16 and 1024") });
    expect(inspectLogo(png(1025, 64))).toEqual({ problem: expect.stringContaining("between 16 and 1024") });
  });

  test("a PNG signature followed by garbage is refused as damaged", () => {
    const broken = Buffer.concat([png(64, 64).subarray(0, 8), Buffer.from("not an image at all")]);
    expect(inspectLogo(broken)).toEqual({ problem: expect.stringContaining("could not be read") });
  });
});
