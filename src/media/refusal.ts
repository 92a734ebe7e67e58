/** An upload refused before anything is stored: the HTTP status and a sentence for the client. */
export class MediaRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
