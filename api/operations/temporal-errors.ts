/**
 * Temporal's answers to an operator's request, as the API's errors: an execution or activity that is not there is
 * a 404, a request the server refuses for the execution's state (a reset point it will not take, an activity that
 * just finished) a 409 with the server's message (about event ids and states, never payloads), anything else 503.
 */
import { ActivityNotFoundError, isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { ApiError, ConflictError, NotFoundError, ServiceUnavailableError } from '../http/errors';

/** gRPC status codes (google.rpc.Code) the server answers with. */
const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9 } as const;

export function operatorError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowNotFoundError || error instanceof ActivityNotFoundError) return new NotFoundError('No such workflow or activity (it may have just ended)');
  const grpc = isGrpcServiceError(error) ? error : error instanceof ServiceError && isGrpcServiceError(error.cause) ? error.cause : undefined;
  if (grpc?.code === GRPC.NOT_FOUND) return new NotFoundError('No such workflow or activity (it may have just ended)');
  if (grpc?.code === GRPC.INVALID_ARGUMENT || grpc?.code === GRPC.FAILED_PRECONDITION) return new ConflictError(`Temporal refused: ${grpc.details}`);
  if (error instanceof ServiceError || grpc) return new ServiceUnavailableError('Temporal is unavailable, please retry shortly');
  return error;
}

/** Every method of `service`, with Temporal's errors turned into the API's. */
export function withOperatorErrors<T extends Record<string, (...args: never[]) => Promise<unknown>>>(service: T): T {
  return Object.fromEntries(
    Object.entries(service).map(([name, method]) => [
      name,
      async (...args: never[]) => {
        try {
          return await method(...args);
        } catch (error) {
          throw operatorError(error);
        }
      },
    ]),
  ) as T;
}
