// The ECS contract fake's API errors, as the AWS JSON 1.1 protocol carries them.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html

/** An ECS API error: `type` is the `__type` of the JSON 1.1 error body; `status` the HTTP status. */
export class EcsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
