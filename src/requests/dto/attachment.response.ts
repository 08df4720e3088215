/** A file attached to a request, as organizers list it: never its content. */
export class AttachmentResponse {
  id: string;
  /** image/jpeg, image/png or application/pdf, found from the file's first bytes. */
  contentType: string;
  sizeBytes: number;
  createdAt: string;
}
