// Uploaded app logos: the type is read from the bytes (magic numbers), never from the
// file name or the browser's Content-Type. SVG is refused: it can carry scripts.
import { imageSize } from "image-size";

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_MIN_SIDE = 16;
export const LOGO_MAX_SIDE = 1024;
export const LOGO_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

export interface InspectedLogo {
  contentType: LogoContentType;
  width: number;
  height: number;
}

const SIZE_TYPES: Record<LogoContentType, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
}

/** The image type announced by the file's first bytes, or null. */
export function sniffImageType(bytes: Uint8Array): LogoContentType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("utf8").replace(/^\uFEFF/, "").trimStart().toLowerCase();
  return head.startsWith("<") && head.includes("<svg");
}

/** The logo's type and size, or the message for the form field. */
export function inspectLogo(bytes: Uint8Array): { logo: InspectedLogo } | { problem: string } {
  if (bytes.length === 0) return { problem: "The file is empty." };
  if (bytes.length > LOGO_MAX_BYTES) {
    return { problem: `The logo is ${Math.ceil(bytes.length / 1024)} KB; the limit is ${LOGO_MAX_BYTES / 1024} KB.` };
  }
  const contentType = sniffImageType(bytes);
  if (contentType === null) {
    return {
      problem: looksLikeSvg(bytes)
        ? "SVG logos are not accepted (they can contain scripts): upload a PNG, JPEG or WebP image."
        : "Upload a PNG, JPEG or WebP image.",
    };
  }
  let size: { width: number; height: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    return { problem: "This image could not be read: it may be damaged." };
  }
  if (size.type !== SIZE_TYPES[contentType] || !size.width || !size.height) {
    return { problem: "This image could not be read: it may be damaged." };
  }
  const { width, height } = size;
  if (width < LOGO_MIN_SIDE || height < LOGO_MIN_SIDE || width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE) {
    return { problem: `The logo is ${width}×${height} pixels; each side must be between ${LOGO_MIN_SIDE} and ${LOGO_MAX_SIDE}.` };
  }
  return { logo: { contentType, width, height } };
}

/**
 * The file a form field carries: null when none was chosen, else its bytes and what they are.
 */
export async function readLogoUpload(value: unknown): Promise<null | { bytes: Uint8Array; logo: InspectedLogo } | { problem: string }> {
  if (value === null || typeof value !== "object" || !("arrayBuffer" in value) || typeof value.arrayBuffer !== "function") return null;
  const file = value as Blob;
  // Browsers send an empty file when none was chosen (its name varies on the way through).
  if (file.size === 0) return null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const inspected = inspectLogo(bytes);
  return "problem" in inspected ? inspected : { bytes, logo: inspected.logo };
}
