/** The files a request may carry, and the most each may weigh. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_REQUEST = 3;

// The first bytes each format starts with (JPEG SOI + marker, the PNG signature, "%PDF-").
const SIGNATURES: readonly [AttachmentType, readonly number[]][] = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
];

/**
 * What a file is, by its first bytes only: the name and the type the uploader declares are
 * ignored, so a renamed executable is not a "PDF". Undefined for anything else (pure).
 */
export function detectAttachmentType(content: Buffer): AttachmentType | undefined {
  return SIGNATURES.find(([, magic]) => content.length > magic.length && magic.every((byte, i) => content[i] === byte))?.[0];
}
